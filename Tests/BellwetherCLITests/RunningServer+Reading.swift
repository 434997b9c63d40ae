import BellwetherAPI
import Foundation

/// What end-to-end tests read back from a running server, decoded as the API's clients decode it.
extension RunningServer {
    /// `GET path` with `token`; anything but 200 is `UnexpectedResponse` with the body.
    func read<Body: Decodable>(_ type: Body.Type, _ path: String, token: String) async throws -> Body {
        let (status, body) = try await request("GET", path, token: token)
        guard status == 200 else { throw UnexpectedResponse(path: path, status: status, body: body) }
        return try APICoding.decoder().decode(Body.self, from: body)
    }

    func auditLog(rollout id: String, token: String) async throws -> [AuditEventView] {
        try await read([AuditEventView].self, "/api/v1/rollouts/\(id)/events", token: token)
    }

    func health(rollout id: String, token: String) async throws -> RolloutHealthView {
        try await read(RolloutHealthView.self, "/api/v1/rollouts/\(id)/health", token: token)
    }
}
