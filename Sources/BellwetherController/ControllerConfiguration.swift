import Foundation

/// The knobs of the control loop that are not part of any policy.
public struct ControllerConfiguration: Sendable, Hashable {
    /// An agent whose last heartbeat is older than this is left out of cohorts and convergence
    /// counts until it reports again (its assignment is left alone meanwhile).
    public var silentAfter: TimeInterval
    /// Controller seconds between passes of `ControllerService`.
    public var tickPeriod: TimeInterval
    /// Who the audit log names for the controller's own transitions.
    public var actor: String

    public init(silentAfter: TimeInterval = 60, tickPeriod: TimeInterval = 1, actor: String = "controller") {
        self.silentAfter = silentAfter
        self.tickPeriod = tickPeriod
        self.actor = actor
    }
}
