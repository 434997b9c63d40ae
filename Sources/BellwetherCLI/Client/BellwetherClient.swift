import BellwetherAPI
import BellwetherHTTPClient
import Foundation

/// The controller's HTTP API as the command line uses it: JSON in and out with the wire types of
/// `BellwetherAPI`, and every failure turned into a `CommandFailure` whose exit status follows the
/// interface (2 when the request itself was wrong, 1 when the operation failed).
struct BellwetherClient: Sendable {
    let server: URL
    let token: String?
    let http: OutboundHTTP

    /// A command's client-wide timers: a controller that does not accept a connection within 10 s
    /// is down. No idle timer: `rollout watch` keeps an event stream open through long silences,
    /// and every ordinary request is bounded by `requestTimeout`.
    static let timeouts = OutboundHTTP.Timeouts(connect: .seconds(10), read: nil)
    /// One API request's whole time.
    static let requestTimeout = Duration.seconds(60)

    func get<Response: Decodable>(_ path: String, query: [String: String?] = [:], as type: Response.Type = Response.self) async throws -> Response {
        var components = URLComponents(url: server.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        components.queryItems = items.isEmpty ? nil : items
        return try await send(to: components.url!, body: nil, as: type)
    }

    func post<Response: Decodable>(_ path: String, body: some Encodable, as type: Response.Type = Response.self) async throws -> Response {
        try await send(to: server.appendingPathComponent(path), body: try APICoding.encoder().encode(body), as: type)
    }

    /// The headers every request carries: what it accepts, and the admin token when one is set.
    func headers(accept: String) -> [(String, String)] {
        var headers = [("Accept", accept)]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return headers
    }

    private func send<Response: Decodable>(to url: URL, body: Data?, as type: Response.Type) async throws -> Response {
        var headers = headers(accept: "application/json")
        let response: OutboundHTTP.Response
        do {
            if let body {
                headers.append(("Content-Type", "application/json"))
                response = try await http.post(url, headers: headers, body: body, timeout: Self.requestTimeout)
            } else {
                response = try await http.get(url, headers: headers, timeout: Self.requestTimeout)
            }
        } catch {
            throw CommandFailure.failed(
                "cannot reach the Bellwether server at \(server.absoluteString) (\(error)); "
                    + "is `bellwether serve` running there? Point --server or BELLWETHER_SERVER at it"
            )
        }
        guard (200..<300).contains(response.status) else { throw Self.failure(status: response.status, body: response.body) }
        do {
            return try APICoding.decoder().decode(type, from: response.body)
        } catch {
            throw CommandFailure.failed("the server at \(server.absoluteString) answered something this bellwether cannot read; are both the same version?")
        }
    }

    /// The server's error message, with the exit status its kind deserves.
    static func failure(status: Int, body: Data) -> CommandFailure {
        let detail = try? APICoding.decoder().decode(APIErrorBody.self, from: body).error
        var message = detail?.message ?? "the server answered HTTP \(status)"
        switch status {
        case 401, 403:
            message += " (set BELLWETHER_ADMIN_TOKEN to the server's admin token)"
            return .failed(message)
        case 400, 404, 413:
            return .badInput(message)
        default:
            return .failed(message)
        }
    }
}
