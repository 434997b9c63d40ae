import BellwetherCore
import Foundation

/// What one controller pass did: when it ran and where it left each rollout it drove. Tests and
/// the service's observers await these instead of sleeping.
public struct TickReport: Sendable, Hashable {
    /// Controller time of the pass.
    public var time: Date
    /// The state of every rollout that was active at the start of the pass, after it.
    public var states: [String: RolloutState]
    /// Assignments the pass handed to the sink.
    public var assigned: Int

    public init(time: Date, states: [String: RolloutState] = [:], assigned: Int = 0) {
        self.time = time
        self.states = states
        self.assigned = assigned
    }
}
