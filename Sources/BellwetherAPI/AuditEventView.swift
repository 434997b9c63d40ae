import BellwetherCore
import Foundation

/// One entry of a rollout's audit log (`GET /api/v1/rollouts/{id}/events`). `id` increases across
/// all rollouts; a client resumes a stream after the last id it saw (`Last-Event-ID`).
public struct AuditEventView: Sendable, Hashable, Codable {
    public var id: Int64
    public var rollout: String
    /// 0 for the creation, then one more per transition.
    public var revision: Int
    public var at: Date
    /// `created`, or the kind of event that caused the transition (`pause`, `check-failed`, …).
    public var kind: String
    public var from: StateView?
    public var to: StateView
    public var actor: String
    public var reason: String
    /// What happened, with its evidence; absent for the creation.
    public var detail: RolloutEvent?

    public init(
        id: Int64, rollout: String, revision: Int, at: Date, kind: String,
        from: RolloutState?, to: RolloutState, actor: String, reason: String, detail: RolloutEvent?
    ) {
        self.id = id
        self.rollout = rollout
        self.revision = revision
        self.at = at
        self.kind = kind
        self.from = from.map(StateView.init)
        self.to = StateView(to)
        self.actor = actor
        self.reason = reason
        self.detail = detail
    }
}
