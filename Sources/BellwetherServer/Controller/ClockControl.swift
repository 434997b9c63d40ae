import BellwetherController

/// Moves a manual controller clock and runs one control-loop pass at the new instant, so a test
/// of the real server process decides exactly when time passes and knows the pass has finished
/// when the request returns.
public struct ClockControl: Sendable {
    /// Waits until whatever the clock's move woke (an in-process fleet) has sent what it sends at
    /// the new instant and gone back to sleep.
    public typealias Settle = @Sendable () async throws -> Void

    private let move: @Sendable (Double, Settle) async throws -> TickReport

    public init(advance: @escaping @Sendable (Double, Settle) async throws -> TickReport) {
        move = advance
    }

    /// Moves time by `seconds`, waits for `settle`, then runs the pass: the pass sees everything
    /// sent at or before the new instant, whatever the scheduler did meanwhile, which is what
    /// makes a lockstep run replay exactly.
    public func advance(_ seconds: Double, settle: Settle = {}) async throws -> TickReport {
        try await move(seconds, settle)
    }
}
