import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How a notification leaves the controller: one HTTP POST, answering the status code. A seam so
/// the dispatcher's retry logic is the same whatever carries the bytes.
public protocol NotificationTransport: Sendable {
    func post(to url: URL, headers: [String: String], body: Data) async throws -> Int
}

/// Outbound HTTP through Foundation's `URLSession`, with a timeout so a receiver that hangs costs
/// one attempt, not the outbox.
public struct URLSessionTransport: NotificationTransport {
    let session: URLSession

    public init(timeout: TimeInterval = 10) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        session = URLSession(configuration: configuration)
    }

    public func post(to url: URL, headers: [String: String], body: Data) async throws -> Int {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (_, response) = try await session.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
