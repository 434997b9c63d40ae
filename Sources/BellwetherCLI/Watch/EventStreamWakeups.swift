import BellwetherAPI
import BellwetherHTTPClient
import Foundation

/// Follows a rollout's audit log as server-sent events (`GET /api/v1/rollouts/{id}/events` with
/// `Accept: text/event-stream`) and yields each event as it arrives, so the watch refreshes the
/// moment something happens rather than at its next poll. Reconnects with `Last-Event-ID` when
/// the connection drops; ends when the server ends the stream (the rollout reached its end) or
/// answers anything but 200.
struct EventStreamWakeups: Sendable {
    let events: AsyncStream<AuditEventView>
    private let task: Task<Void, Never>

    /// Starts following at once; `stop()` ends it.
    init(client: BellwetherClient, rolloutID: String) {
        let (events, continuation) = AsyncStream.makeStream(of: AuditEventView.self)
        self.events = events
        let url = client.server.appendingPathComponent("api/v1/rollouts/\(rolloutID)/events")
        task = Task {
            defer { continuation.finish() }
            var lastID: Int64?
            while !Task.isCancelled {
                var headers = client.headers(accept: "text/event-stream")
                if let lastID { headers.append(("Last-Event-ID", String(lastID))) }
                do {
                    let stream = try await client.http.stream(url, headers: headers, timeout: BellwetherClient.requestTimeout)
                    guard stream.status == 200 else { return }
                    var parser = ServerSentEvents()
                    for try await chunk in stream {
                        for event in parser.events(in: chunk) {
                            lastID = event.id
                            continuation.yield(event)
                        }
                    }
                    // The server ends the stream after a terminal event.
                    return
                } catch {
                    // A dropped or refused connection: picked up again after the last event
                    // received (the periodic poll covers the gap).
                    try? await Task.sleep(for: .seconds(2))
                }
            }
        }
    }

    func stop() {
        task.cancel()
    }
}

/// Splits a `text/event-stream` body, as it arrives in pieces, into its messages' events: each
/// message ends with a blank line; its `data:` line is one audit event as JSON, its `id:` the
/// event's audit id.
struct ServerSentEvents {
    private var buffer = Data()

    mutating func events(in chunk: Data) -> [AuditEventView] {
        buffer.append(chunk)
        var events: [AuditEventView] = []
        while let end = buffer.range(of: Data("\n\n".utf8)) {
            let message = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex..<end.upperBound)
            for line in message.split(separator: "\n") where line.hasPrefix("data: ") {
                if let event = try? APICoding.decoder().decode(AuditEventView.self, from: Data(line.dropFirst(6).utf8)) {
                    events.append(event)
                }
            }
        }
        return events
    }
}
