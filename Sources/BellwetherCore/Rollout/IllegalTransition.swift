/// An event the rollout's current state does not accept.
///
/// It reaches operators as the answer to a command that cannot be carried out, so its description
/// says what the rollout would accept instead, not only what went wrong.
public struct IllegalTransition: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the event was refused, for callers that react differently: a controller drops a stale
    /// event quietly but reports any other kind.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The rollout has completed, rolled back or been aborted; nothing moves it any more.
        case terminal
        /// The event makes no sense in this phase (resuming a rollout that is not halted).
        case wrongState
        /// The event is about a step other than the current one: it was raised before a promotion
        /// or pause and arrived after it.
        case staleStep
        /// The state or the event names a step the policy does not have.
        case stepOutOfRange
    }

    public var from: RolloutState
    public var event: RolloutEvent
    public var kind: Kind
    /// What the rollout accepts instead, e.g. "only a halted rollout resumes".
    public var instead: String

    public init(from: RolloutState, event: RolloutEvent, kind: Kind, instead: String) {
        self.from = from
        self.event = event
        self.kind = kind
        self.instead = instead
    }

    public var description: String {
        "cannot \(attempt) a rollout that is \(from): \(instead)"
    }

    private var attempt: String {
        switch event {
        case .start: "start"
        case .manual(.rollback, _, _): "roll back"
        case .manual(let action, _, _): action.rawValue
        default: "apply \(event.kind)\(event.step.map { "(step \($0 + 1))" } ?? "") to"
        }
    }
}
