import BellwetherCore
import Foundation

/// Where a delivery of the notification outbox stands.
public enum NotificationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending
    case delivered
    /// Given up on: out of attempts, or pushed out of a full outbox.
    case failed
}

/// A delivery that is due: the audit event to announce, the rollout as it is now (its policy
/// names the target), and how many attempts were made before.
public struct PendingNotification: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var event: RolloutAuditEvent
    public var rollout: Rollout
    /// Index into `rollout.policy.notify`.
    public var target: Int
    public var attempts: Int

    public init(id: Int64, event: RolloutAuditEvent, rollout: Rollout, target: Int, attempts: Int) {
        self.id = id
        self.event = event
        self.rollout = rollout
        self.target = target
        self.attempts = attempts
    }
}
