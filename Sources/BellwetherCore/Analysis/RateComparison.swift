import Foundation

/// The judge for one check: canary against baseline on event counts, with the tolerance, the
/// between-agent spread and the anytime-valid test combined into a verdict and its evidence.
///
/// - fail: the e-value against "canary within tolerance", with the agent-sampling factor
///   integrated out, reaches 1/α. False fails are bounded by α however often this is evaluated.
/// - pass: the e-value against "canary worse by the design size" (the tolerated ratio times
///   `designFactor`) reaches 1/`passLevel`: a regression that large is ruled out.
/// - inconclusive: neither yet, with an estimate of the exposure still needed.
public struct RateComparison: Sendable {
    public var direction: Direction
    public var tolerance: Tolerance
    public var alpha: Double
    public var minAgents: Int
    /// How much beyond the tolerated ratio a regression must be to be "of design size".
    public var designFactor: Double
    /// Whether to compute the time-uniform bounds on the ratio, which are evidence for people
    /// (a dozen e-value evaluations each) but play no part in the verdict.
    public var computesBounds: Bool
    /// A pass needs the design-size regression rejected at this level: a canary that much worse
    /// passes a look with probability at most this.
    public var passLevel: Double
    /// When set (failure ratios, where higher is worse), a canary whose own rate is confidently
    /// below this passes too (`RateFloorTest`, at `passLevel`): what lets a healthy canary pass
    /// when neither cohort fails at all, so that there is no ratio to bound.
    public var absoluteFloor: Double?

    public init(direction: Direction, tolerance: Tolerance, alpha: Double, minAgents: Int, designFactor: Double = 2, computesBounds: Bool = true, passLevel: Double = 0.1) {
        self.passLevel = passLevel
        self.direction = direction
        self.tolerance = tolerance
        self.alpha = alpha
        self.minAgents = minAgents
        self.designFactor = designFactor
        self.computesBounds = computesBounds
    }

    /// The statistical part of a verdict.
    public struct Outcome: Sendable, Hashable {
        public var verdict: Verdict
        public var reason: String
        public var ratio: Double?
        public var lower: Double?
        public var upper: Double?
        public var toleratedRatio: Double?
        public var designRatio: Double?
        public var eValue: Double?
        public var spread: Double?
        public var variation: Double?
        public var needed: EvidenceNeeded?
    }

    /// - Parameters:
    ///   - intervals: per evaluation interval, the two cohorts' events and exposure.
    ///   - canaryAgents / baselineAgents: per-agent totals since the step began.
    ///   - elapsed: seconds of canary data so far, to turn exposure still needed into time.
    public func judge(intervals: [IntervalPair], canaryAgents: [EventCounts], baselineAgents: [EventCounts], elapsed: Double) -> Outcome {
        judge(test: SequentialRateRatioTest(intervals: intervals), canaryAgents: canaryAgents, baselineAgents: baselineAgents, elapsed: elapsed)
    }

    /// - Parameters:
    ///   - test: the sequential test folded over the intervals so far.
    ///   - canaryAgents / baselineAgents: per-agent totals since the step began.
    ///   - referenceRate: when set, the canary is compared to this known rate instead of the
    ///     baseline's (histogram quantiles, where the baseline fixed the threshold); `test` must
    ///     have been folded against it.
    ///   - historySpread: when each agent's history weighed its exposure, the spread of the
    ///     agent factor the history leaves unexplained (`AgentHistory.residualSpread`). It is a
    ///     floor known from every agent's own past, so the spread the step's agents show is taken
    ///     at its estimate rather than at an upper confidence bound; without history the bound
    ///     guards against a few agents that happen to look alike.
    ///   - canaryAsReported: the canary's events and exposure as the agents reported them, before
    ///     any history weighting; the floor is about those. Nil: the sum of `canaryAgents`.
    ///   - elapsed: seconds of canary data so far, to turn exposure still needed into time.
    public func judge(
        test: SequentialRateRatioTest,
        canaryAgents: [EventCounts],
        baselineAgents: [EventCounts],
        referenceRate: Double? = nil,
        historySpread: Double? = nil,
        canaryAsReported: EventCounts? = nil,
        elapsed: Double
    ) -> Outcome {
        let canaryCount = canaryAgents.filter { $0.exposure > 0 }.count
        let baselineCount = baselineAgents.filter { $0.exposure > 0 }.count
        if canaryCount < minAgents {
            return Outcome(verdict: .inconclusive, reason: "\(canaryCount) canary agents with data; at least \(minAgents) are needed")
        }
        if referenceRate == nil, baselineCount < minAgents {
            return Outcome(verdict: .inconclusive, reason: "\(baselineCount) baseline agents with data; at least \(minAgents) are needed")
        }
        let canary = canaryAgents.reduce(EventCounts(), +)
        let baseline = referenceRate.map { EventCounts(events: $0 * canary.exposure * 1e6, exposure: canary.exposure * 1e6) }
            ?? baselineAgents.reduce(EventCounts(), +)

        let sign = direction == .higher ? 1.0 : -1.0
        let baselineRate = (baseline.events + 0.5) / max(baseline.exposure, 1e-300)
        let margin = max(tolerance.relative ?? 0, (tolerance.absolute ?? 0) / baselineRate)
        let logTolerated = direction == .higher ? log1p(margin) : log(max(1 - margin, 1e-9))
        let logDesign = logTolerated + sign * log(designFactor)

        let agents = AgentHeterogeneity(canary: canaryAgents, baseline: referenceRate == nil ? baselineAgents : [])
        let spread = historySpread.map { max($0, agents.spread(confidence: 0.5)) } ?? agents.spread()
        var outcome = Outcome(
            verdict: .inconclusive, reason: "",
            toleratedRatio: exp(logTolerated), designRatio: exp(logDesign),
            spread: spread.isFinite ? spread : nil, variation: agents.variance.squareRoot()
        )
        if let estimate = test.pointEstimate { outcome.ratio = exp(estimate) }
        else if canary.exposure > 0, baseline.exposure > 0, baseline.events > 0 { outcome.ratio = 0 }

        guard spread.isFinite else {
            outcome.reason = "agents differ too much to compare \(canaryCount) canary with \(baselineCount) baseline agents"
            outcome.needed = EvidenceNeeded(blocker: "more agents, or agents with more even traffic, in each cohort")
            return outcome
        }
        let logE = test.logEValue(againstLogNull: logTolerated, worseWhen: direction, spread: spread)
        outcome.eValue = exp(logE)
        if computesBounds {
            let bounds = test.logRatioBounds(alpha: alpha, spread: spread)
            outcome.lower = exp(bounds.lower)
            outcome.upper = exp(bounds.upper)
        }
        let bound = direction == .higher ? outcome.lower : outcome.upper
        if logE >= log(1 / alpha) {
            outcome.verdict = .fail
            outcome.reason = bound.map { "ratio \(direction == .higher ? "at least" : "at most") \(Self.format($0)) against \(Self.format(outcome.toleratedRatio)) tolerated" }
                ?? "ratio beyond the \(Self.format(outcome.toleratedRatio)) tolerated"
            return outcome
        }
        // Pass: the design-size regression is itself rejected from the other side.
        let opposite: Direction = direction == .higher ? .lower : .higher
        if test.logEValue(againstLogNull: logDesign, worseWhen: opposite, spread: spread) >= log(1 / passLevel) {
            let far = direction == .higher ? outcome.upper : outcome.lower
            outcome.verdict = .pass
            outcome.reason = "a \(Self.format(outcome.designRatio)) regression is ruled out"
                + (far.map { " (ratio \(direction == .higher ? "at most" : "at least") \(Self.format($0)) at \(Self.percent(alpha)) confidence)" } ?? "")
            return outcome
        }
        if direction == .higher, referenceRate == nil, let absoluteFloor, absoluteFloor > 0 {
            let reported = canaryAsReported ?? canary
            if RateFloorTest.logEValue(events: reported.events, exposure: reported.exposure, floor: absoluteFloor) >= log(1 / passLevel) {
                outcome.verdict = .pass
                outcome.reason = "\(String(format: "%.0f", reported.events)) in \(String(format: "%.0f", reported.exposure)) rule out a rate above the \(Self.share(absoluteFloor)) floor"
                return outcome
            }
        }
        // Say which side the data lean to: a canary already beyond the tolerance is on its way
        // to a rollback, and what a pass would still need is then beside the point.
        if let estimate = test.pointEstimate, sign * (estimate - logTolerated) > 0 {
            outcome.reason = "worse than the \(Self.format(outcome.toleratedRatio)) tolerated so far, not yet beyond doubt"
        } else {
            outcome.needed = needed(canary: canary, baseline: baseline, separation: abs(logDesign - logTolerated), spread: spread, elapsed: elapsed, known: referenceRate != nil, history: historySpread != nil)
            outcome.reason = "not enough evidence yet"
        }
        return outcome
    }

    /// Exposure still needed to tell the tolerated ratio from the design ratio, by the normal
    /// approximation to the test: the variance of the log ratio, Poisson part 1/X_c + 1/X_b
    /// plus the agent spread², must come down to d²/(2·log(1/(w·β))), w the mixture's weight on
    /// the alternative nearest d. The Poisson part shrinks as
    /// data accumulate; the agent spread does not, and when it alone is too wide no amount of
    /// waiting will do: the blocker says what would.
    func needed(canary: EventCounts, baseline: EventCounts, separation: Double, spread: Double, elapsed: Double, known: Bool, history: Bool) -> EvidenceNeeded {
        let weight = SequentialRateRatioTest.weight(nearest: separation)
        let allowed = separation * separation / (2 * log(1 / (weight * passLevel))) - spread * spread
        guard allowed > 1e-6 else {
            let remedy = history
                ? "more canary agents would"
                : "each agent's history on the stable version (let the controller watch the fleet before the step) or more canary agents would"
            return EvidenceNeeded(blocker: "agents differ too much for a pass to come at any traffic; \(remedy)")
        }
        let poisson = 1 / max(canary.events, 0.5) + (known ? 0 : 1 / max(baseline.events, 0.5))
        let factor = max(0, poisson / allowed - 1)
        let seconds = elapsed > 0 && canary.exposure > 0 ? elapsed * factor : nil
        return EvidenceNeeded(canaryExposure: canary.exposure * factor, seconds: seconds)
    }

    static func share(_ rate: Double) -> String {
        String(format: "%g%%", rate * 100)
    }

    static func percent(_ alpha: Double) -> String {
        String(format: "%g%%", (1 - alpha) * 100)
    }

    static func format(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "unbounded" }
        return String(format: "%.3g×", ratio)
    }
}
