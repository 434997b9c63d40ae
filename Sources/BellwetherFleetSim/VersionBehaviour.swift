/// How a version of the simulated collector behaves once installed. Each case is one of the ways a
/// release goes wrong in the field; only `silentKiller` is invisible to logs, error rates and
/// resource graphs, which is why Bellwether compares business signals canary against baseline.
public enum VersionBehaviour: Sendable, Hashable {
    /// Does what the previous version did.
    case healthy
    /// Enrichment fails for every record of the special kind, with no error logged: the failure
    /// counter rises and the span says `data.incomplete=true`, but its status stays unset.
    case silentKiller
    /// Processing takes `factor` times longer.
    case latencyRegression(factor: Double)
    /// The agent gets through only `factor` of the records it used to.
    case throughputDrop(factor: Double)
    /// The process runs about `uptime` seconds, dies, and is restarted `downtime` seconds later,
    /// so its counters start again from zero with a new start time each time.
    case crashLoop(uptime: Double, downtime: Double)
    /// A `share` of the agents that install it (chosen by their id) die for good about `after`
    /// seconds later: no restart, no heartbeat, no telemetry. Judged on the survivors alone, such
    /// a version would look healthy.
    case dies(share: Double, after: Double)
}
