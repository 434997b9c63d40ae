import BellwetherCore

/// A rollout state as clients see it: the phase, the step counted from 1 as every text counts it,
/// and the sentence form (`halted(step 2)`).
public struct StateView: Sendable, Hashable, Codable, CustomStringConvertible {
    public var phase: RolloutPhase
    /// 1-based; present while progressing or halted.
    public var step: Int?
    public var description: String

    public init(_ state: RolloutState) {
        phase = state.phase
        step = state.step.map { $0 + 1 }
        description = state.description
    }
}
