/// One step of a rollout's life: what it was, what happened, what it is now, and why.
/// The store commits it together with its audit event, in one transaction.
public struct RolloutTransition: Sendable, Hashable, Codable {
    public var from: RolloutState
    public var to: RolloutState
    public var event: RolloutEvent
    /// A sentence an operator reads in the audit log, e.g. "step 2 (10%) baked 30m with every check passing".
    public var reason: String

    public init(from: RolloutState, to: RolloutState, event: RolloutEvent, reason: String) {
        self.from = from
        self.to = to
        self.event = event
        self.reason = reason
    }
}
