/// Everything that shapes one simulated step of a rollout: the fleet's geometry, its traffic,
/// how its agents differ, what goes wrong on their hosts, and what the canary version changes.
///
/// A value, so a scenario and a seed name a stream exactly; every field is printed with the
/// benchmark's results so a run can be reproduced.
public struct FleetScenario: Sendable, Hashable {
    public var name: String
    public var canaryAgents: Int
    public var baselineAgents: Int
    /// Seconds between an agent's reports; each agent reports at its own phase within it.
    public var reportSeconds: Double
    /// Length of the stream, from the step's start.
    public var durationSeconds: Double
    /// Fleet-average records per second per agent.
    public var recordsPerSecond: Double
    /// Lognormal σ of per-agent traffic around the average (1.0 spreads it over two orders of
    /// magnitude between the busiest and quietest of a few dozen agents).
    public var trafficSigma: Double
    /// Fleet-average failure probability of a record on the stable version.
    public var baseFailureRate: Double
    /// Lognormal σ of each agent's failure probability around the average (0.7: several-fold).
    public var failureSigma: Double
    public var effect: CanaryEffect
    /// Expected restarts per agent per hour; a restart resets the agent's counters to zero.
    public var restartsPerHour: Double
    /// Share of agents that stop reporting for good at a uniformly random time in the stream.
    public var dropoutShare: Double
    /// The check's relative tolerance the judges apply (Bellwether and the fixed threshold).
    public var tolerance: Double
    /// Seconds since the Unix epoch at which the step starts.
    public var start: Double
    /// Seconds every agent ran the stable version before the step, watched by the controller
    /// (0: agents joined at the start, no history).
    public var historySeconds: Double

    public init(
        name: String,
        canaryAgents: Int,
        baselineAgents: Int,
        reportSeconds: Double = 10,
        durationSeconds: Double = 3_660,
        recordsPerSecond: Double = 2,
        trafficSigma: Double = 0.5,
        baseFailureRate: Double = 0.002,
        failureSigma: Double = 0.3,
        effect: CanaryEffect = .none,
        restartsPerHour: Double = 0,
        dropoutShare: Double = 0,
        tolerance: Double = 0.10,
        start: Double = 1_764_000_000,
        historySeconds: Double = 3_600
    ) {
        self.name = name
        self.canaryAgents = canaryAgents
        self.baselineAgents = baselineAgents
        self.reportSeconds = reportSeconds
        self.durationSeconds = durationSeconds
        self.recordsPerSecond = recordsPerSecond
        self.trafficSigma = trafficSigma
        self.baseFailureRate = baseFailureRate
        self.failureSigma = failureSigma
        self.effect = effect
        self.restartsPerHour = restartsPerHour
        self.dropoutShare = dropoutShare
        self.tolerance = tolerance
        self.start = start
        self.historySeconds = historySeconds
    }
}
