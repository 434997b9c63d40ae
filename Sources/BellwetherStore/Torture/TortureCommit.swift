import BellwetherCore

/// What the torture loop acknowledges after each committed rollout write, as one line:
/// `committed <rolloutID> <phase> <step> <eventCount>`, with `-` for a phase without a step.
/// Once printed, the state must survive anything, including SIGKILL an instant later.
public struct TortureCommit: Sendable, Hashable, CustomStringConvertible {
    public var rolloutID: String
    public var state: RolloutState
    /// Audit events the rollout has, the creation included.
    public var eventCount: Int

    public init(rolloutID: String, state: RolloutState, eventCount: Int) {
        self.rolloutID = rolloutID
        self.state = state
        self.eventCount = eventCount
    }

    /// Parses a line printed by `description`; `nil` for anything else.
    public init?(line: String) {
        let fields = line.split(separator: " ").map(String.init)
        guard fields.count == 5, fields[0] == "committed",
              let phase = RolloutPhase(rawValue: fields[2]),
              let eventCount = Int(fields[4]),
              let state = try? RolloutState(phase: phase, step: fields[3] == "-" ? nil : Int(fields[3]))
        else { return nil }
        self.init(rolloutID: fields[1], state: state, eventCount: eventCount)
    }

    public var description: String {
        "committed \(rolloutID) \(state.phase.rawValue) \(state.step.map(String.init) ?? "-") \(eventCount)"
    }
}
