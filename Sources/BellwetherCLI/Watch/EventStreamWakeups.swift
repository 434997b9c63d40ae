import BellwetherAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Follows a rollout's audit log as server-sent events (`GET /api/v1/rollouts/{id}/events` with
/// `Accept: text/event-stream`) and yields each event as it arrives, so the watch refreshes the
/// moment something happens rather than at its next poll. Reconnects with `Last-Event-ID` when
/// the connection drops; ends when the server ends the stream (the rollout reached its end).
final class EventStreamWakeups: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: `buffer` and `lastID` are touched only from the session's serial delegate queue.
    private let continuation: AsyncStream<AuditEventView>.Continuation
    let events: AsyncStream<AuditEventView>
    private var buffer = Data()
    private var lastID: Int64?
    private var session: URLSession!
    private var stopped = false
    private let request: URLRequest

    init(server: URL, token: String?, rolloutID: String) {
        (events, continuation) = AsyncStream.makeStream(of: AuditEventView.self)
        var request = URLRequest(url: server.appendingPathComponent("api/v1/rollouts/\(rolloutID)/events"))
        request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.timeoutInterval = 24 * 3600
        self.request = request
        super.init()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: queue)
    }

    func start() {
        session.dataTask(with: request).resume()
    }

    func stop() {
        session.delegateQueue.addOperation { self.stopped = true }
        continuation.finish()
        session.invalidateAndCancel()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        buffer.append(data)
        while let end = buffer.range(of: Data("\n\n".utf8)) {
            let message = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex..<end.upperBound)
            for line in message.split(separator: "\n") {
                if line.hasPrefix("id: ") { lastID = Int64(line.dropFirst(4)) }
                if line.hasPrefix("data: "), let event = try? APICoding.decoder().decode(AuditEventView.self, from: Data(line.dropFirst(6).utf8)) {
                    continuation.yield(event)
                }
            }
        }
    }

    /// The server ends the stream after a terminal event; anything else is a dropped connection,
    /// picked up again after the last event received (the periodic poll covers the gap).
    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let status = (task.response as? HTTPURLResponse)?.statusCode ?? 0
        guard !stopped, error != nil, status == 0 || status == 200 else {
            continuation.finish()
            return
        }
        var retry = request
        if let lastID { retry.setValue(String(lastID), forHTTPHeaderField: "Last-Event-ID") }
        buffer.removeAll()
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { [session, retry] in
            session.dataTask(with: retry).resume()
        }
    }
}
