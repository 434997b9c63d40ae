import Foundation

/// The decision engine for one step: it takes per-agent samples as they arrive and, at each
/// analysis-interval boundary, judges every check canary against baseline and decides whether
/// the step fails, runs out of data, promotes or keeps baking.
///
/// The live controller and `bellwether analyze` drive this same value, so a replay of recorded
/// data reaches exactly the decisions the controller would have reached at those instants.
public struct AnalysisEngine: Sendable {
    public let policy: Policy
    public let step: RolloutStep
    /// Start of the step's analysis window, seconds since the Unix epoch.
    public let start: Double
    public var interval: Double { policy.analysis.intervalSeconds }

    private var series: [CheckSeries]
    private(set) var cohortOf: [String: CohortRole] = [:]
    /// Intervals in which each cohort sent anything at all.
    private var activeIntervals: [CohortRole: Set<Int>] = [:]
    /// Largest log e-value seen per check, for the always-valid p-value.
    private var largestLogE: [Double]

    /// Whether verdicts carry the time-uniform bounds on each ratio (evidence for people; the
    /// verdicts are the same without them, and simulations run faster).
    public let computesBounds: Bool

    public init(policy: Policy, step: Int, start: Double, computesBounds: Bool = true) {
        self.policy = policy
        self.computesBounds = computesBounds
        self.step = policy.steps[min(max(step, 0), policy.steps.count - 1)]
        self.start = start
        self.series = policy.analysis.checks.map(CheckSeries.init)
        self.largestLogE = Array(repeating: 0, count: policy.analysis.checks.count)
    }

    /// The time of evaluation `index` (1 is the first boundary after the start).
    public func boundary(_ index: Int) -> Double {
        start + Double(index) * interval
    }

    /// The interval a sample at `time` falls in: a sample exactly on a boundary belongs to the
    /// interval that boundary closes.
    public func intervalIndex(at time: Double) -> Int {
        max(0, Int(((time - start) / interval).rounded(.up)) - 1)
    }

    public mutating func ingest(_ sample: AgentSample) {
        let index = intervalIndex(at: sample.time)
        cohortOf[sample.agent] = sample.cohort
        activeIntervals[sample.cohort, default: []].insert(index)
        for i in series.indices {
            series[i].add(sample, interval: index)
        }
    }

    /// Data an agent sent on the stable version before the step began, so each agent can be
    /// compared with itself (`AgentHistory`). Give it all before the first evaluation: the
    /// weighing is fixed at the first look, so every look of a step weighs agents alike.
    public mutating func ingestHistory(_ sample: AgentSample) {
        for i in series.indices {
            series[i].addHistory(sample)
        }
    }

    /// Judges every check on the data of the first `index` intervals and decides the step if it can.
    public mutating func evaluate(_ index: Int) -> Evaluation {
        let time = boundary(index)
        var verdicts: [CheckVerdict] = []
        for i in series.indices {
            var threshold: (HistogramCounts) -> HistogramThreshold? = { _ in nil }
            if case .histogram(_, let quantile) = series[i].check.kind {
                threshold = Self.histogramThreshold(series[i].check, quantile: quantile)
            }
            series[i].fold(through: index, cohortOf: cohortOf, threshold: threshold)
            var (verdict, logE) = judge(series[i], time: time, largestLogE: largestLogE[i])
            largestLogE[i] = max(largestLogE[i], logE ?? 0)
            if series[i].check.isDryRun { verdict.dryRun = true }
            verdicts.append(verdict)
        }
        return Evaluation(time: time, verdicts: verdicts, decision: decide(verdicts, index: index, time: time))
    }

    /// Dry-run checks are judged and reported but take no part: neither their failure nor their
    /// being inconclusive decides anything.
    private func decide(_ verdicts: [CheckVerdict], index: Int, time: Double) -> StepDecision? {
        let enforced = zip(policy.analysis.checks, verdicts).filter { !$0.0.isDryRun }
        if let failed = enforced.first(where: { $0.1.verdict == .fail }) {
            return StepDecision(action: failed.0.onFail, time: time, check: failed.0.name, reason: failed.1.detail)
        }
        if let missing = missingData(index: index) {
            return StepDecision(action: policy.analysis.onNoData, time: time, check: nil, reason: missing)
        }
        guard let bake = step.bakeSeconds, Double(index) * interval >= bake - 1e-9 else { return nil }
        let baked = DurationText.compact(seconds: bake.rounded())
        let open = enforced.filter { $0.1.verdict != .pass }
        // A check one cohort sent nothing for is missing data, whatever its onInconclusive says:
        // never promote on missing data.
        if let blind = open.first(where: { $0.1.canary.n <= 0 || $0.1.baseline.n <= 0 }) {
            let cohort = blind.1.canary.n <= 0 ? CohortRole.canary : .baseline
            return StepDecision(
                action: policy.analysis.onNoData, time: time, check: nil,
                reason: "no data enough for a verdict: the bake time (\(baked)) ended with no data for check \(blind.0.name) from the \(cohort.rawValue) cohort: \(blind.1.detail)"
            )
        }
        let actions = open.map { $0.0.onInconclusive ?? policy.analysis.onInconclusive ?? .halt }
        guard let strictest = actions.indices.max(by: { actions[$0].strictness < actions[$1].strictness }) else {
            return StepDecision(decision: .promote, time: time, check: nil, reason: "baked \(baked) with every check passing")
        }
        let (check, verdict) = open[strictest]
        let action = actions[strictest]
        switch action {
        case .halt, .pause:
            return StepDecision(
                decision: .halt, time: time, check: check.name, onInconclusive: action,
                reason: "the bake time (\(baked)) ended with check \(check.name) inconclusive: \(verdict.detail)"
            )
        case .continue:
            let names = open.map(\.0.name).joined(separator: ", ")
            return StepDecision(
                decision: .promote, time: time, check: check.name, onInconclusive: .continue,
                reason: "baked \(baked); check\(open.count == 1 ? "" : "s") \(names) still inconclusive, promoted as onInconclusive: continue says: \(verdict.detail)"
            )
        }
    }

    /// A cohort that fell silent for a whole interval after sending, or never sent within two.
    private func missingData(index: Int) -> String? {
        for cohort in CohortRole.allCases {
            let active = activeIntervals[cohort] ?? []
            let last = index - 1
            if !active.contains(last), active.contains(where: { $0 < last }) {
                return "no data from the \(cohort.rawValue) cohort for a whole interval (\(DurationText.compact(seconds: (Double(index - 1) * interval).rounded())) to \(DurationText.compact(seconds: (Double(index) * interval).rounded())) after the start) after data had been flowing"
            }
            if index >= 2, active.isEmpty {
                return "no data from the \(cohort.rawValue) cohort within two intervals of the start"
            }
        }
        return nil
    }
}
