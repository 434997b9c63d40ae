import BellwetherAPI
import BellwetherHTTPClient
import Foundation

/// Why a simulated agent's request failed.
public enum FleetTransportError: Error, Sendable, CustomStringConvertible {
    case unreachable(path: String, reason: String)
    case refused(path: String, status: Int, body: String)
    case unreadable(path: String)

    public var description: String {
        switch self {
        case .unreachable(let path, let reason): "\(path): cannot reach the controller (\(reason))"
        case .refused(let path, let status, let body): "\(path): HTTP \(status) \(body)"
        case .unreadable(let path): "\(path): the controller's answer is not a heartbeat reply"
        }
    }
}

/// The wire, and nothing else: heartbeats as JSON to `POST /api/v1/agents/heartbeat`, OTLP/HTTP
/// protobuf to `POST /v1/metrics` and `/v1/traces`, with the agent token as a real agent sends
/// them. Everything the agents decide is in `AgentModel`.
public struct FleetTransport: Sendable {
    public let server: URL
    public let token: String?
    let http: OutboundHTTP

    /// A fleet process's client-wide timers: the controller is local or near, so a connection
    /// not open in 10 s or an answer silent for 30 s means it is down or stuck.
    public static let timeouts = OutboundHTTP.Timeouts(connect: .seconds(10), read: .seconds(30))
    /// One request's whole time.
    static let requestTimeout = Duration.seconds(30)

    /// - Parameter http: the process's client; a big fleet multiplexes its agents' requests over
    ///   its connections to the controller, as agents behind one proxy would.
    public init(server: URL, token: String?, http: OutboundHTTP) {
        self.server = server
        self.token = token
        self.http = http
    }

    public func heartbeat(_ heartbeat: HeartbeatRequest) async throws(FleetTransportError) -> HeartbeatReply {
        let path = "api/v1/agents/heartbeat"
        let body: Data
        do {
            body = try APICoding.encoder().encode(heartbeat)
        } catch {
            throw .unreadable(path: path)
        }
        let answer = try await post(path, body: body, contentType: "application/json")
        do {
            return try APICoding.decoder().decode(HeartbeatReply.self, from: answer)
        } catch {
            throw .unreadable(path: path)
        }
    }

    /// `POST /v1/metrics` or `/v1/traces` (`signal`) with a serialized export request.
    public func export(_ signal: String, protobuf body: Data) async throws(FleetTransportError) {
        _ = try await post("v1/\(signal)", body: body, contentType: "application/x-protobuf")
    }

    private func post(_ path: String, body: Data, contentType: String) async throws(FleetTransportError) -> Data {
        var headers = [("Content-Type", contentType)]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response: OutboundHTTP.Response
        do throws(OutboundHTTPError) {
            response = try await http.post(server.appendingPathComponent(path), headers: headers, body: body, timeout: Self.requestTimeout)
        } catch {
            throw .unreachable(path: path, reason: error.description)
        }
        guard (200..<300).contains(response.status) else {
            throw .refused(path: path, status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return response.body
    }
}
