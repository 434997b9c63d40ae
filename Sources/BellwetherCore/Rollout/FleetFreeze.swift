import Foundation

/// A hold on every rollout's promotions, set by an operator for a change freeze or an incident.
/// Steps keep baking and being judged; halts and rollbacks proceed as always (safety is never
/// frozen); only moving a rollout on to more agents waits until the freeze is lifted.
public struct FleetFreeze: Sendable, Hashable, Codable {
    /// Why, in the operator's words: shown wherever a held promotion is.
    public var reason: String
    public var actor: String
    public var since: Date

    public init(reason: String, actor: String, since: Date) {
        self.reason = reason
        self.actor = actor
        self.since = since
    }

    /// "frozen by alice since 2026-12-04 18:00:00Z: quarter-end close".
    public var summary: String {
        "frozen by \(actor) since \(since.formatted(.iso8601)): \(reason)"
    }
}
