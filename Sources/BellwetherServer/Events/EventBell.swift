import Synchronization

/// Wakes every live event stream when a rollout's audit log may have grown: rung by the API right
/// after it records a transition, and periodically for transitions recorded elsewhere (the
/// control loop, another process). A wake-up carries nothing; streams read the store to see what
/// is new, so a missed or merged ring never loses an event.
public final class EventBell: Sendable {
    /// One stream's wake-ups. Rings while the stream is busy merge into one.
    public struct Subscription: Sendable {
        public let wakeups: AsyncStream<Void>
        fileprivate let continuation: AsyncStream<Void>.Continuation

        /// Ends `wakeups`, so the stream's loop finishes (on disconnect or shutdown).
        public func cancel() {
            continuation.finish()
        }
    }

    private let subscribers = Mutex<[Int: AsyncStream<Void>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    public func subscribe() -> Subscription {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = nextID.add(1, ordering: .relaxed).newValue
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return Subscription(wakeups: stream, continuation: continuation)
    }

    public func ring() {
        let current = subscribers.withLock { Array($0.values) }
        for continuation in current { continuation.yield() }
    }

    /// How many streams are listening: lets a test wait until its stream is subscribed.
    public var subscriberCount: Int {
        subscribers.withLock { $0.count }
    }
}
