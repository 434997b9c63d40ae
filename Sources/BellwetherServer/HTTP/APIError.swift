import BellwetherAPI
import BellwetherCore
import Hummingbird

/// An error the API answers with, in the one shape clients parse:
/// `{"error": {"code": "...", "message": "..."}}` with a fitting status.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var diagnostics: [PolicyDiagnostic]?
    /// Sent as `Retry-After` when set: the request may succeed unchanged later.
    public var retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, diagnostics: [PolicyDiagnostic]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse(APIErrorBody(code: code, message: message, diagnostics: diagnostics), status: status)
            .response(from: request, context: context)
        if status == .unauthorized {
            response.headers[.wwwAuthenticate] = "Bearer"
        }
        if let retryAfterSeconds {
            response.headers[.retryAfter] = String(retryAfterSeconds)
        }
        return response
    }

    static func badRequest(_ message: String, code: String = "bad-request") -> APIError {
        APIError(.badRequest, code: code, message)
    }

    static func notFound(_ message: String, code: String = "not-found") -> APIError {
        APIError(.notFound, code: code, message)
    }

    static func conflict(_ message: String, code: String) -> APIError {
        APIError(.conflict, code: code, message)
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "too-large", "the request body is larger than \(limit) bytes; send it in smaller batches")
    }

    /// The fleet registry or the OpAMP session table holds its limit: a new agent waits until
    /// silent ones are forgotten, or until the operator raises the limit.
    static func full(_ what: String, limit: Int, setting: String) -> APIError {
        var error = APIError(
            .serviceUnavailable, code: "full",
            "the controller holds its limit of \(limit) \(what) and takes no new one (\(setting)); known agents go on"
        )
        error.retryAfterSeconds = 60
        return error
    }

    /// A heartbeat (JSON or OpAMP) from a new agent past the fleet registry's limit.
    /// 403: the caller's scoped agent token does not speak for `agent`.
    static func outOfScope(_ scope: AgentScope, agent: String, nothingStored: Bool = false) -> APIError {
        APIError(.forbidden, code: "agent-out-of-scope", (nothingStored ? "nothing was stored: " : "") + scope.refusal(of: agent))
    }

    static func fleetFull(_ full: FleetFull) -> APIError {
        .full("agents", limit: full.limit, setting: "limits.fleetAgents")
    }

    static func overloaded(retryAfterSeconds: Int) -> APIError {
        var error = APIError(
            .tooManyRequests, code: "overloaded",
            "the controller has as many agent requests in flight as its budget allows; retry after \(retryAfterSeconds)s"
        )
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }

    static let notReady = APIError(
        .serviceUnavailable, code: "not-ready", "the controller is still starting (loading the fleet); retry in a moment"
    )
}
