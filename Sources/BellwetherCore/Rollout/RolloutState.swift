/// Where a rollout is in its life. Persisted by the store as `phase` plus `step`.
///
/// ```
/// pending → progressing(0) → … → progressing(n-1) → completed
///              ↓ ↑ (pause/resume, halting check)
///            halted(k)
/// progressing/halted → rollingBack → rolledBack
/// any non-terminal  → aborted
/// ```
public enum RolloutState: Sendable, Hashable, Codable, CustomStringConvertible {
    case pending
    /// Step `step` (0-based index into the policy's steps) is rolled out and baking.
    case progressing(step: Int)
    /// Frozen at `step` until a human resumes, promotes, rolls back or aborts.
    case halted(step: Int)
    /// The canary cohort is being returned to the stable version.
    case rollingBack
    case rolledBack
    case completed
    case aborted

    public var phase: RolloutPhase {
        switch self {
        case .pending: .pending
        case .progressing: .progressing
        case .halted: .halted
        case .rollingBack: .rollingBack
        case .rolledBack: .rolledBack
        case .completed: .completed
        case .aborted: .aborted
        }
    }

    /// The step whose cohort is on the target version, when there is one.
    public var step: Int? {
        switch self {
        case .progressing(let step), .halted(let step): step
        default: nil
        }
    }

    /// Terminal states accept no further events.
    public var isTerminal: Bool { phase.isTerminal }

    /// Active rollouts own their agents: no second rollout may select them.
    public var isActive: Bool { !isTerminal }

    public init(phase: RolloutPhase, step: Int?) throws(RolloutStateDecodingError) {
        switch phase {
        case .pending: self = .pending
        case .progressing, .halted:
            guard let step, step >= 0 else { throw RolloutStateDecodingError(phase: phase, step: step) }
            self = phase == .progressing ? .progressing(step: step) : .halted(step: step)
        case .rollingBack: self = .rollingBack
        case .rolledBack: self = .rolledBack
        case .completed: self = .completed
        case .aborted: self = .aborted
        }
    }

    public var description: String {
        switch self {
        case .progressing(let step): "progressing(step \(step + 1))"
        case .halted(let step): "halted(step \(step + 1))"
        default: phase.rawValue
        }
    }
}

/// The persisted, human-facing name of a state (as in `bellwether rollout list`).
public enum RolloutPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case pending
    case progressing
    case halted
    case rollingBack = "rolling-back"
    case rolledBack = "rolled-back"
    case completed
    case aborted

    public var isTerminal: Bool {
        switch self {
        case .rolledBack, .completed, .aborted: true
        default: false
        }
    }
}

public struct RolloutStateDecodingError: Error, Sendable, CustomStringConvertible {
    public var phase: RolloutPhase
    public var step: Int?

    public var description: String {
        "phase \(phase.rawValue) needs a step number >= 0, found \(step.map(String.init) ?? "none")"
    }
}
