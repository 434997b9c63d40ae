import BellwetherCore

/// One simulated step: the observations the agents exported, in time order (exactly what a
/// replay file of the step would hold), and the ground truth the oracle is allowed to see.
public struct SimulatedStream: Sendable, Hashable {
    public var scenario: FleetScenario
    public var agents: [SimulatedAgent]
    /// Cumulative counters as exported, in time order.
    public var observations: [ReplayObservation]
    /// Every canary report's true records, failures and probabilities, in time order.
    public var canaryReports: [ReportTruth]
    /// The same for every baseline report, in time order.
    public var baselineReports: [ReportTruth]
    /// Each agent's totals on the stable version before the step (`FleetScenario.historySeconds`).
    public var history: [AgentSample] = []
    /// canaryRecordTotals[i]: canary records processed up to and including canaryReports[i].
    private var canaryRecordTotals: [Int]

    init(scenario: FleetScenario, agents: [SimulatedAgent], observations: [ReplayObservation], reports: [ReportTruth]) {
        self.scenario = scenario
        self.agents = agents
        self.observations = observations
        let canaryReports = reports.filter { $0.cohort == .canary }
        self.canaryReports = canaryReports
        self.baselineReports = reports.filter { $0.cohort == .baseline }
        var total = 0
        self.canaryRecordTotals = canaryReports.map { total += $0.records; return total }
    }

    /// Canary records processed up to `time` (inclusive): how much canary traffic a judge that
    /// alarmed at `time` had let through.
    public func canaryRecords(through time: Double) -> Int {
        var low = 0, high = canaryReports.count
        while low < high {
            let mid = (low + high) / 2
            if canaryReports[mid].time <= time { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? 0 : canaryRecordTotals[low - 1]
    }

    /// Canary records processed up to `time`, counting the part of every open window before it
    /// (records are spread evenly over a window): what an oracle that alarms between two reports
    /// had let through.
    public func canaryRecords(at time: Double) -> Int {
        let closed = canaryRecords(through: time)
        let open = canaryReports.reduce(0.0) { sum, report in
            let opened = report.time - report.windowSeconds
            guard report.time > time, opened < time, report.windowSeconds > 0 else { return sum }
            return sum + Double(report.records) * (time - opened) / report.windowSeconds
        }
        return closed + Int(open.rounded())
    }

    /// Canary records processed up to the first boundary of `grid` at or after `time`: what a
    /// judge looking every interval lets through at best when it knows at `time` what to do.
    /// With `time` the Wald oracle's alarm, this is the floor for judges on that look cadence.
    public func canaryRecords(atFirstLookFrom time: Double, on grid: IntervalGrid) -> Int {
        canaryRecords(through: grid.firstBoundary(atOrAfter: time))
    }

    /// The observations as per-agent increases, as every judge consumes them: the engine's own
    /// normaliser, so restarts are read the same way by all of them.
    public func samples() -> [AgentSample] {
        var normalizer = CumulativeNormalizer()
        return observations.map {
            normalizer.sample(agent: $0.agent, cohort: $0.cohort, time: $0.time, counters: $0.counters, spans: $0.spans, histograms: $0.histograms)
        }
    }
}
