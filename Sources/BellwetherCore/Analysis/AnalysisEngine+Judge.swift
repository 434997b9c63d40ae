import Foundation

extension AnalysisEngine {
    /// Threshold of a histogram check at this look: the baseline's quantile moved by the
    /// tolerance, itself, not the next bucket bound (on buckets 0.1/0.5/1 s a 25% tolerance on a
    /// 0.4 s p99 would otherwise become 0.5 s, or 1 s, and let a 1.5× regression pass). It is
    /// rounded outward to a 1% step, so the comparison is folded again only when the baseline's
    /// quantile really moves. Nil when it falls beyond the buckets, where a share cannot be read.
    static func histogramThreshold(_ check: Check, quantile: Double) -> (HistogramCounts) -> HistogramThreshold? {
        { baseline in
            guard let baselineQuantile = baseline.quantile(quantile), let first = baseline.bounds.first, var last = baseline.bounds.last else { return nil }
            // On the exponential grid the buckets go on past those the baseline populated.
            if ExponentialBucketGrid.stretch(of: baseline.bounds) != nil { last = ExponentialBucketGrid.bound(ExponentialBucketGrid.indexes.upperBound) }
            let margin: Double = max(abs(baselineQuantile) * (check.tolerance.relative ?? 0), check.tolerance.absolute ?? 0)
            let above = check.worseWhen == .higher
            let tolerated = above ? baselineQuantile + margin : baselineQuantile - margin
            let target = roundedOutward(tolerated, up: above)
            if above {
                guard tolerated <= last else { return nil }
                return HistogramThreshold(bounds: baseline.bounds, value: min(target, last), above: true)
            }
            let floor = min(0, first)
            guard tolerated >= floor else { return nil }
            return HistogramThreshold(bounds: baseline.bounds, value: max(target, floor), above: false)
        }
    }

    /// `value` moved outward (away from the baseline: up for `up`) to the next multiple of 1% on
    /// a log scale; values at or below zero are kept as they are.
    static func roundedOutward(_ value: Double, up: Bool) -> Double {
        guard value > 0 else { return value }
        let step = log(1.01)
        let steps = log(value) / step
        return exp((up ? (steps - 1e-9).rounded(.up) : (steps + 1e-9).rounded(.down)) * step)
    }

    /// One check's verdict on the comparison folded so far, and its log e-value.
    func judge(_ series: CheckSeries, time: Double, largestLogE: Double) -> (CheckVerdict, Double?) {
        let check = series.check
        let folded = series.folded
        var comparison = RateComparison(
            direction: check.worseWhen, tolerance: check.tolerance,
            alpha: policy.analysis.alpha, minAgents: policy.analysis.minAgentsPerCohort,
            designFactor: check.effectiveDesignFactor, computesBounds: computesBounds
        )
        var referenceRate: Double?
        let canarySummary: CohortSummary
        let baselineSummary: CohortSummary
        if case .histogram(_, let quantile) = check.kind {
            let pooled = series.histograms
            canarySummary = CohortSummary(value: pooled.canary?.quantile(quantile), n: pooled.canary?.counts.reduce(0, +) ?? 0, agents: pooled.canaryAgents.count)
            baselineSummary = CohortSummary(value: pooled.baseline?.quantile(quantile), n: pooled.baseline?.counts.reduce(0, +) ?? 0, agents: pooled.baselineAgents.count)
            guard let threshold = folded.threshold else {
                let detail = baselineSummary.value.map { "the tolerated p\(Self.percentile(quantile)) beyond \(Self.number($0)) lies outside the histogram's buckets" }
                    ?? "no baseline observations yet"
                return (verdict(check, time, .inconclusive, canarySummary, baselineSummary, detail), nil)
            }
            referenceRate = threshold.above ? 1 - quantile : quantile
            comparison.direction = .higher
            comparison.tolerance = Tolerance()
        } else {
            canarySummary = summary(folded.canaryAgents)
            baselineSummary = summary(folded.baselineAgents)
            switch check.kind {
            case .ratio, .spans: comparison.absoluteFloor = check.tolerance.absolute ?? Check.defaultAbsoluteFloor
            case .rate, .histogram: break
            }
        }

        let outcome = comparison.judge(
            test: folded.test,
            canaryAgents: Array(folded.adjustedCanaryAgents.values),
            baselineAgents: Array(folded.adjustedBaselineAgents.values),
            referenceRate: referenceRate,
            historySpread: series.history.flatMap { history in
                history.adjusts ? history.residualSpread(canary: folded.adjustedCanaryAgents, baseline: folded.adjustedBaselineAgents) : nil
            },
            canaryAsReported: folded.canaryAgents.values.reduce(EventCounts(), +),
            elapsed: time - start
        )
        var result = verdict(check, time, outcome.verdict, canarySummary, baselineSummary, describe(check, outcome, canarySummary, baselineSummary, threshold: folded.threshold, time: time))
        result.ratio = outcome.ratio.finite
        result.ratioLower = outcome.lower.finite
        result.ratioUpper = outcome.upper.finite
        if folded.threshold == nil, let baseline = baselineSummary.value {
            result.differenceLower = outcome.lower.finite.map { baseline * ($0 - 1) }
            result.differenceUpper = outcome.upper.finite.map { baseline * ($0 - 1) }
        }
        result.toleratedRatio = outcome.toleratedRatio
        result.designRatio = outcome.designRatio
        result.eValue = outcome.eValue.map { min($0, 1e300) }
        let logE = outcome.eValue.map { log($0) }
        result.pValue = min(1, exp(-max(largestLogE, logE ?? 0)))
        result.agentSpread = outcome.spread
        result.agentVariation = outcome.variation
        result.needed = outcome.needed
        return (result, logE)
    }

    private func verdict(_ check: Check, _ time: Double, _ verdict: Verdict, _ canary: CohortSummary, _ baseline: CohortSummary, _ detail: String) -> CheckVerdict {
        CheckVerdict(time: time, check: check.name, verdict: verdict, canary: canary, baseline: baseline, detail: detail)
    }

    /// Value and denominator of a counting check for one cohort. A rate check's value is events
    /// per agent-second: the throughput of a typical agent of the cohort.
    private func summary(_ agents: [String: EventCounts]) -> CohortSummary {
        let total = agents.values.reduce(EventCounts(), +)
        return CohortSummary(value: total.rate, n: total.exposure, agents: agents.values.filter { $0.exposure > 0 }.count)
    }

    /// The verdict's one sentence of evidence.
    /// An inconclusive verdict says what a pass still needs and, against the bake's time left,
    /// whether it can come in time: so an operator learns at the first looks, not at the bake's
    /// end, that the step is heading for its `onInconclusive`.
    private func describe(
        _ check: Check, _ outcome: RateComparison.Outcome, _ canary: CohortSummary, _ baseline: CohortSummary,
        threshold: HistogramThreshold?, time: Double
    ) -> String {
        let values = "canary \(format(canary.value, check.kind)) vs baseline \(format(baseline.value, check.kind))"
        switch outcome.verdict {
        case .fail:
            if let threshold, let upper = outcome.lower {
                return "\(values): canary observations above \(Self.number(threshold.value)) exceed the allowed share by at least \(RateComparison.format(upper)) (e-value \(Self.number(outcome.eValue ?? 0)))"
            }
            return "\(values): \(outcome.reason) (e-value \(Self.number(outcome.eValue ?? 0)) ≥ \(Self.number(1 / policy.analysis.alpha)))"
        case .pass:
            return "\(values): \(outcome.reason)"
        case .inconclusive:
            var text = "\(values): \(outcome.reason)"
            if let needed = outcome.needed {
                if let blocker = needed.blocker {
                    text += "; \(blocker)"
                } else if let seconds = needed.seconds {
                    text += "; a pass needs about \(DurationText.compact(seconds: seconds.rounded())) more at the current pace"
                    if let bake = step.bakeSeconds {
                        let left = max(0, bake - (time - start))
                        let shown = DurationText.compact(seconds: left.rounded())
                        if seconds <= left {
                            text += "; the bake has \(shown) left"
                        } else {
                            let action = check.onInconclusive ?? policy.analysis.onInconclusive ?? .halt
                            let then = check.isDryRun ? "a dry run, so nothing follows" : "onInconclusive: \(action.rawValue)"
                            text += ", but the bake has \(shown) left: unless the data changes, it ends inconclusive (\(then))"
                        }
                    }
                }
            }
            return text
        }
    }

    private func format(_ value: Double?, _ kind: CheckKind) -> String {
        guard let value else { return "n/a" }
        switch kind {
        case .ratio, .spans: return String(format: "%.3g%%", value * 100)
        case .rate: return String(format: "%.4g/s per agent", value)
        case .histogram: return Self.number(value)
        }
    }

    static func number(_ value: Double) -> String {
        String(format: "%.4g", value)
    }

    static func percentile(_ quantile: Double) -> String {
        let percent = quantile * 100
        return percent == percent.rounded() ? String(Int(percent)) : String(format: "%g", percent)
    }
}

extension Optional<Double> {
    /// The value when it is a finite number: JSON has no infinities, and "unbounded" is said by leaving it out.
    var finite: Double? {
        flatMap { $0.isFinite ? $0 : nil }
    }
}
