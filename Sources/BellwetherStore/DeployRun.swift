import Foundation

/// One attempt of the exec deploy driver's command for one agent: what ran, how it ended and the
/// tail of what it printed. An exit code of 0 says only that the command finished; whether the
/// agent runs the version is what the agent reports afterwards.
public struct DeployRun: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Exited with status 0.
        case exited
        /// Exited with another status, or was killed by a signal.
        case failed
        /// Still running at the timeout, and killed.
        case timedOut = "timed-out"
        /// Could not be started (no such program, not executable).
        case notStarted = "not-started"
    }

    public var rolloutID: String?
    public var agent: String
    public var version: String
    /// 1 for the first attempt, then 2, 3, … for retries.
    public var attempt: Int
    public var startedAt: Date
    public var finishedAt: Date
    public var outcome: Outcome
    public var exitCode: Int?
    /// Standard output and standard error together, the last few kilobytes.
    public var output: String

    public init(
        rolloutID: String?, agent: String, version: String, attempt: Int, startedAt: Date, finishedAt: Date,
        outcome: Outcome, exitCode: Int?, output: String
    ) {
        self.rolloutID = rolloutID
        self.agent = agent
        self.version = version
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.exitCode = exitCode
        self.output = output
    }
}
