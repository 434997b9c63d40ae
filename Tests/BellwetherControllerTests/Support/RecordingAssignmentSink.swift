import BellwetherController
import BellwetherCore
import Synchronization

/// A sink that keeps every batch it receives and emits each on an `AsyncStream`, so tests see
/// exactly what the agent-facing side would have been told, in order, across controller restarts.
final class RecordingAssignmentSink: AssignmentSink {
    let batches: AsyncStream<[String: AgentAssignment]>
    private let continuation: AsyncStream<[String: AgentAssignment]>.Continuation
    private let history = Mutex<[[String: AgentAssignment]]>([])

    init() {
        (batches, continuation) = AsyncStream.makeStream()
    }

    func assign(_ assignments: [String: AgentAssignment]) async {
        history.withLock { $0.append(assignments) }
        continuation.yield(assignments)
    }

    var received: [[String: AgentAssignment]] {
        history.withLock { $0 }
    }

    /// The last assignment of every agent the sink has heard of: what a heartbeat registry answers.
    var current: [String: AgentAssignment] {
        received.reduce(into: [:]) { current, batch in current.merge(batch) { _, new in new } }
    }

    /// Every desired version `agent` was told, in order.
    func desiredVersions(of agent: String) -> [String?] {
        received.compactMap { $0[agent].map(\.desiredVersion) }
    }
}
