import BellwetherCore
import Foundation

/// One entry of a rollout's audit log: who moved it from where to where, when and why. The log is
/// append-only and written in the same transaction as the state it describes, so replaying it
/// always arrives at the rollout's current state.
public struct RolloutAuditEvent: Sendable, Hashable, Codable, Identifiable {
    /// Increases across all rollouts; clients resume a stream of events after the last id they saw.
    public var id: Int64
    public var rolloutID: String
    /// 0 for the creation, then 1, 2, … for each transition: a gap or a repeat would be a lost or
    /// doubled transition, which the schema forbids.
    public var revision: Int
    public var at: Date
    /// `created`, or the `RolloutEvent.kind` that caused the transition.
    public var kind: String
    /// `nil` only for the creation.
    public var from: RolloutState?
    public var to: RolloutState
    public var actor: String
    public var reason: String
    /// What happened, with its evidence; `nil` only for the creation.
    public var event: RolloutEvent?

    public init(
        id: Int64, rolloutID: String, revision: Int, at: Date, kind: String,
        from: RolloutState?, to: RolloutState, actor: String, reason: String, event: RolloutEvent?
    ) {
        self.id = id
        self.rolloutID = rolloutID
        self.revision = revision
        self.at = at
        self.kind = kind
        self.from = from
        self.to = to
        self.actor = actor
        self.reason = reason
        self.event = event
    }
}
