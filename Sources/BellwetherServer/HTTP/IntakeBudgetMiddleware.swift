import BellwetherTelemetry
import Hummingbird

/// Sheds agent traffic past the shared in-flight budget with 429 and `Retry-After`, before the
/// body is read: a burst of heartbeats, observation batches or OpAMP messages (a fleet
/// reconnecting at once, or someone with an agent token) then costs a refusal each instead of a
/// buffered body each, and the operator API and the control loop keep their memory and cores.
///
/// A request is charged its declared length, or `limit` (its endpoint's body limit) when it
/// declares none, so the bytes in flight never exceed the budget by more than one request.
struct IntakeBudgetMiddleware<Context: RequestContext>: RouterMiddleware {
    let admission: OTLPAdmission
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let declared = request.headers[.contentLength].flatMap { Int($0) } ?? limit
        let ticket: OTLPAdmission.Ticket
        do {
            ticket = try admission.admit(bytes: min(declared, limit))
        } catch {
            throw APIError.overloaded(retryAfterSeconds: admission.budget.retryAfterSeconds)
        }
        defer { admission.release(ticket) }
        return try await next(request, context)
    }
}
