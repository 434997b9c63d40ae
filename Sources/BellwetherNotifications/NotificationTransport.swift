import BellwetherHTTPClient
import Foundation

/// How a notification leaves the controller: one HTTP POST, answering the status code. A seam so
/// the dispatcher's retry logic is the same whatever carries the bytes.
public protocol NotificationTransport: Sendable {
    func post(to url: URL, headers: [String: String], body: Data) async throws -> Int
}

/// Outbound HTTP through the process's one `OutboundHTTP` client, with a whole timeout per
/// attempt, so a receiver that refuses, hangs, resets or trickles costs one attempt with a typed
/// `OutboundHTTPError`, not the outbox and not the process.
public struct HTTPNotificationTransport: NotificationTransport {
    let http: OutboundHTTP
    let timeout: Duration

    public init(http: OutboundHTTP, timeout: Duration) {
        self.http = http
        self.timeout = timeout
    }

    public func post(to url: URL, headers: [String: String], body: Data) async throws -> Int {
        // A receiver's answer is read only for its status; a small body is plenty.
        try await http.post(url, headers: headers.map { ($0.key, $0.value) }, body: body, timeout: timeout, accepting: 64 << 10).status
    }
}
