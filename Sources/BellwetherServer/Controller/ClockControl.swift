import BellwetherController

/// Moves a manual controller clock and runs one control-loop pass at the new instant, so a test
/// of the real server process decides exactly when time passes and knows the pass has finished
/// when the request returns.
public struct ClockControl: Sendable {
    public let advance: @Sendable (Double) async throws -> TickReport

    public init(advance: @escaping @Sendable (Double) async throws -> TickReport) {
        self.advance = advance
    }
}
