import BellwetherCore
import Foundation

/// `GET` and `POST /api/v1/freeze`: whether the fleet's promotions are held, since when and why.
public struct FreezeView: Sendable, Hashable, Codable {
    public var frozen: Bool
    public var reason: String?
    public var actor: String?
    public var since: Date?

    public init(_ freeze: FleetFreeze?) {
        frozen = freeze != nil
        reason = freeze?.reason
        actor = freeze?.actor
        since = freeze?.since
    }
}

/// The body of `POST /api/v1/freeze`: `{"frozen": true, "reason": "quarter-end close"}` holds every
/// rollout's promotions; `{"frozen": false}` lifts the hold.
public struct FreezeRequest: Sendable, Hashable, Codable {
    public var frozen: Bool
    public var reason: String?

    public init(frozen: Bool, reason: String? = nil) {
        self.frozen = frozen
        self.reason = reason
    }
}
