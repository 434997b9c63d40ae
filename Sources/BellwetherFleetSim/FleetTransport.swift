import BellwetherAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
    /// Heartbeats and exports travel on separate connections, as an agent's control channel and
    /// its OpenTelemetry exporter do, so a large trace upload never delays a heartbeat.
    private let heartbeatSession: URLSession
    private let exportSession: URLSession

    /// - Parameter connections: concurrent connections to the controller; a big fleet multiplexes
    ///   its agents' requests over these, as agents behind one proxy would.
    public init(server: URL, token: String?, connections: Int = 32) {
        self.server = server
        self.token = token
        heartbeatSession = Self.session(connections: connections)
        exportSession = Self.session(connections: connections)
    }

    private static func session(connections: Int) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        configuration.timeoutIntervalForRequest = 30
        configuration.urlCache = nil
        return URLSession(configuration: configuration)
    }

    public func heartbeat(_ heartbeat: HeartbeatRequest) async throws(FleetTransportError) -> HeartbeatReply {
        let path = "api/v1/agents/heartbeat"
        let body: Data
        do {
            body = try APICoding.encoder().encode(heartbeat)
        } catch {
            throw .unreadable(path: path)
        }
        let answer = try await post(path, body: body, contentType: "application/json", on: heartbeatSession)
        do {
            return try APICoding.decoder().decode(HeartbeatReply.self, from: answer)
        } catch {
            throw .unreadable(path: path)
        }
    }

    /// `POST /v1/metrics` or `/v1/traces` (`signal`) with a serialized export request.
    public func export(_ signal: String, protobuf body: Data) async throws(FleetTransportError) {
        _ = try await post("v1/\(signal)", body: body, contentType: "application/x-protobuf", on: exportSession)
    }

    private func post(_ path: String, body: Data, contentType: String, on session: URLSession) async throws(FleetTransportError) -> Data {
        var request = URLRequest(url: server.appendingPathComponent(path))
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw .unreachable(path: path, reason: error.localizedDescription)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw .refused(path: path, status: status, body: String(decoding: data.prefix(300), as: UTF8.self))
        }
        return data
    }
}
