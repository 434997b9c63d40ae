import BellwetherAPI
import BellwetherStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// A rollout's audit log, as a JSON list or live as server-sent events.
///
/// Live, it sends what is already recorded, then whatever is recorded next each time the
/// `EventBell` rings, reading the store with `after:` so each event is sent exactly once. Every
/// event's SSE `id` is its audit id, so a client that reconnects with `Last-Event-ID` resumes
/// where it left off. The stream ends after the rollout reaches a terminal state, when the client
/// goes away, or when the server shuts down.
struct AuditEventStream: Sendable {
    let store: BellwetherStore
    let bell: EventBell
    let rolloutID: String

    func events(after id: Int64?) throws -> [AuditEventView] {
        try store.events(rolloutID: rolloutID, after: id).map(AuditEventView.init)
    }

    /// Checks the rollout exists before answering, so an unknown id is a 404, not an empty stream.
    func response(after lastID: Int64?) throws -> Response {
        _ = try store.rollout(id: rolloutID)
        let subscription = bell.subscribe()
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await withGracefulShutdownHandler {
                try await stream(to: &writer, after: lastID, wakeups: subscription.wakeups)
            } onGracefulShutdown: {
                subscription.cancel()
            }
            subscription.cancel()
            try await writer.finish(nil)
        })
    }

    private func stream(to writer: inout any ResponseBodyWriter, after lastID: Int64?, wakeups: AsyncStream<Void>) async throws {
        var last = lastID
        var pending = try events(after: last)
        var wakeups = wakeups.makeAsyncIterator()
        while true {
            for event in pending {
                try await writer.write(ByteBuffer(string: try Self.message(event)))
                last = event.id
                if event.to.phase.isTerminal { return }
            }
            guard await wakeups.next() != nil else { return }
            pending = try events(after: last)
        }
    }

    /// One SSE message: its `id` and the event as one line of JSON. No `event:` type, so a
    /// browser's `EventSource.onmessage` receives every kind.
    static func message(_ event: AuditEventView) throws -> String {
        let json = String(decoding: try APICoding.encoder().encode(event), as: UTF8.self)
        return "id: \(event.id)\ndata: \(json)\n\n"
    }
}

extension AuditEventView {
    init(_ event: RolloutAuditEvent) {
        self.init(
            id: event.id, rollout: event.rolloutID, revision: event.revision, at: event.at, kind: event.kind,
            from: event.from, to: event.to, actor: event.actor, reason: event.reason, detail: event.event
        )
    }
}
