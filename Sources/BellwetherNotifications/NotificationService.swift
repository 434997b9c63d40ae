import Logging
import ServiceLifecycle

/// Runs the dispatcher beside the HTTP server: every `pollInterval` (and at once on start, so a
/// restart resumes what a crash left pending) it queues new audit events and delivers what is due.
/// Deliveries in flight when shutdown begins finish; what is left stays in the outbox for the next
/// start.
public struct NotificationService: Service {
    let dispatcher: NotificationDispatcher

    public init(dispatcher: NotificationDispatcher) {
        self.dispatcher = dispatcher
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await pass()
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: dispatcher.settings.pollInterval)
            }
        }
    }

    /// One pass: queue, then deliver.
    public func pass() async {
        do {
            try dispatcher.enqueue()
        } catch {
            dispatcher.logger.error("cannot queue notifications; retrying at the next pass", metadata: ["error": "\(error)"])
        }
        await dispatcher.deliverDue()
    }
}
