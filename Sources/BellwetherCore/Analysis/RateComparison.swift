import Foundation

/// The judge for one check: canary against baseline on event counts, with the tolerance, the
/// between-agent allowance and the anytime-valid test combined into a verdict and its evidence.
///
/// - fail: the e-value against "canary within tolerance, after allowing for which agents landed
///   where" reaches 1/α. False fails are bounded by α however often this is evaluated.
/// - pass: the time-uniform bound on the ratio rules out a regression of the design size
///   (the tolerated ratio times `designFactor`).
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

    public init(direction: Direction, tolerance: Tolerance, alpha: Double, minAgents: Int, designFactor: Double = 2, computesBounds: Bool = true) {
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
        public var allowance: Double?
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
    ///   - elapsed: seconds of canary data so far, to turn exposure still needed into time.
    public func judge(
        test: SequentialRateRatioTest,
        canaryAgents: [EventCounts],
        baselineAgents: [EventCounts],
        referenceRate: Double? = nil,
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
        let allowance = agents.allowance(alpha: alpha)
        var outcome = Outcome(
            verdict: .inconclusive, reason: "",
            toleratedRatio: exp(logTolerated), designRatio: exp(logDesign),
            allowance: exp(allowance), variation: agents.variance.squareRoot()
        )
        if let estimate = test.pointEstimate { outcome.ratio = exp(estimate) }
        else if canary.exposure > 0, baseline.exposure > 0, baseline.events > 0 { outcome.ratio = 0 }

        guard allowance.isFinite else {
            outcome.reason = "agents differ too much to compare with \(canaryCount) canary and \(baselineCount) baseline agents"
            outcome.needed = EvidenceNeeded(blocker: "more agents per cohort")
            return outcome
        }
        let threshold = log(1 / alpha)
        let logE = test.logEValue(againstLogNull: logTolerated + sign * allowance, worseWhen: direction)
        outcome.eValue = exp(logE)
        if computesBounds {
            let bounds = test.logRatioBounds(alpha: alpha)
            outcome.lower = exp(bounds.lower - allowance)
            outcome.upper = exp(bounds.upper + allowance)
        }
        let bound = direction == .higher ? outcome.lower : outcome.upper
        if logE >= threshold {
            outcome.verdict = .fail
            outcome.reason = bound.map { "ratio \(direction == .higher ? "at least" : "at most") \(Self.format($0)) against \(Self.format(outcome.toleratedRatio)) tolerated" }
                ?? "ratio beyond the \(Self.format(outcome.toleratedRatio)) tolerated"
            return outcome
        }
        // Pass: the design-size regression is itself rejected, i.e. the time-uniform bound on
        // the far side lies within it.
        let designRejected = test.logEValue(againstLogNull: logDesign - sign * allowance, worseWhen: direction == .higher ? .lower : .higher) >= threshold
        if designRejected {
            let far = direction == .higher ? outcome.upper : outcome.lower
            outcome.verdict = .pass
            outcome.reason = "a \(Self.format(outcome.designRatio)) regression is ruled out"
                + (far.map { " (ratio \(direction == .higher ? "at most" : "at least") \(Self.format($0)))" } ?? "")
            return outcome
        }
        outcome.needed = needed(canary: canary, baseline: baseline, separation: abs(logDesign - logTolerated) - allowance, elapsed: elapsed, known: referenceRate != nil)
        outcome.reason = "not enough evidence yet"
        return outcome
    }

    /// Exposure still needed to tell the tolerated ratio from the design ratio, by the normal
    /// approximation to the test: information I = 1/Var(log ratio) must reach
    /// 2·log(K/α)/d², d the separation on the log scale left after the agent allowance.
    func needed(canary: EventCounts, baseline: EventCounts, separation: Double, elapsed: Double, known: Bool) -> EvidenceNeeded {
        guard separation > 0.01 else {
            return EvidenceNeeded(blocker: "agents differ too much for a regression of design size to show; more canary agents are needed")
        }
        let canaryEvents = max(canary.events, 0.5)
        let baselineEvents = known ? Double.infinity : max(baseline.events, 0.5)
        let information = 1 / (1 / canaryEvents + 1 / baselineEvents)
        let required = 2 * log(Double(SequentialRateRatioTest.logEffects.count) / alpha) / (separation * separation)
        let factor = max(0, required / information - 1)
        let exposure = canary.exposure * factor
        let seconds = elapsed > 0 && canary.exposure > 0 ? elapsed * factor : nil
        return EvidenceNeeded(canaryExposure: exposure, seconds: seconds)
    }

    static func format(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "unbounded" }
        return String(format: "%.3g×", ratio)
    }
}
