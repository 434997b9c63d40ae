import BellwetherCore

/// The exec deploy driver's settings: for fleets without an agent-side updater, a command the
/// server runs when an agent's desired version changes (`deployCommand` in `--config`).
public struct DeploySettings: Sendable, Hashable {
    /// The command; nil leaves the driver off.
    public var command: DeployCommandTemplate?
    /// At most this many commands run at once.
    public var concurrency = 4
    /// A run still going after this long is killed (its whole process group) and counts as failed.
    public var timeout: Duration = .seconds(300)
    /// Runs per desired version: the first and its retries.
    public var attempts = 3
    /// The wait before the first retry; it doubles before each further one.
    public var backoff: Duration = .seconds(10)

    public init() {}
}
