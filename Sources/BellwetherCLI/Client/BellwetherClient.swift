import BellwetherAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The controller's HTTP API as the command line uses it: JSON in and out with the wire types of
/// `BellwetherAPI`, and every failure turned into a `CommandFailure` whose exit status follows the
/// interface (2 when the request itself was wrong, 1 when the operation failed).
struct BellwetherClient: Sendable {
    let server: URL
    let token: String?

    func get<Response: Decodable>(_ path: String, query: [String: String?] = [:], as type: Response.Type = Response.self) async throws -> Response {
        var components = URLComponents(url: server.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        components.queryItems = items.isEmpty ? nil : items
        return try await send(URLRequest(url: components.url!), as: type)
    }

    func post<Response: Decodable>(_ path: String, body: some Encodable, as type: Response.Type = Response.self) async throws -> Response {
        var request = URLRequest(url: server.appendingPathComponent(path))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try APICoding.encoder().encode(body)
        return try await send(request, as: type)
    }

    private func send<Response: Decodable>(_ request: URLRequest, as type: Response.Type) async throws -> Response {
        var request = request
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CommandFailure.failed(
                "cannot reach the Bellwether server at \(server.absoluteString) (\(error.localizedDescription)); "
                    + "is `bellwether serve` running there? Point --server or BELLWETHER_SERVER at it"
            )
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Self.failure(status: status, body: data) }
        do {
            return try APICoding.decoder().decode(type, from: data)
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
