import Foundation

extension AnalysisEngine {
    /// One check's verdict over the first `intervals` intervals, and its log e-value.
    func judge(_ series: CheckSeries, intervals: Int, time: Double, largestLogE: Double) -> (CheckVerdict, Double?) {
        let check = series.check
        let canaryIDs = Set(cohortOf.filter { $0.value == .canary }.keys)
        let baselineIDs = Set(cohortOf.filter { $0.value == .baseline }.keys)
        var comparison = RateComparison(
            direction: check.worseWhen, tolerance: check.tolerance,
            alpha: policy.analysis.alpha, minAgents: policy.analysis.minAgentsPerCohort,
            computesBounds: computesBounds
        )

        var threshold: HistogramThreshold?
        var referenceRate: Double?
        var canarySummary: CohortSummary
        var baselineSummary: CohortSummary
        if case .histogram(_, let quantile) = check.kind {
            let canaryHistogram = series.pooledHistogram(intervals: intervals, agents: canaryIDs)
            let baselineHistogram = series.pooledHistogram(intervals: intervals, agents: baselineIDs)
            canarySummary = summary(canaryHistogram, quantile: quantile, agents: series, ids: canaryIDs, intervals: intervals)
            baselineSummary = summary(baselineHistogram, quantile: quantile, agents: series, ids: baselineIDs, intervals: intervals)
            guard let baselineHistogram, let baselineQuantile = baselineHistogram.quantile(quantile) else {
                return (verdict(check, time, .inconclusive, canarySummary, baselineSummary, "no baseline observations yet"), nil)
            }
            let margin: Double = max(abs(baselineQuantile) * (check.tolerance.relative ?? 0), check.tolerance.absolute ?? 0)
            let above = check.worseWhen == .higher
            let target: Double = above ? baselineQuantile + margin : baselineQuantile - margin
            let index = above
                ? baselineHistogram.bounds.firstIndex { $0 >= target - 1e-12 }
                : baselineHistogram.bounds.lastIndex { $0 <= target + 1e-12 }
            guard let index else {
                let detail = "the tolerated p\(Self.percentile(quantile)) (\(Self.number(target))) lies beyond the histogram's buckets"
                return (verdict(check, time, .inconclusive, canarySummary, baselineSummary, detail), nil)
            }
            threshold = HistogramThreshold(bounds: baselineHistogram.bounds, boundIndex: index, above: above)
            referenceRate = above ? 1 - quantile : quantile
            comparison.direction = .higher
            comparison.tolerance = Tolerance()
        } else {
            canarySummary = CohortSummary(value: nil, n: 0, agents: 0)
            baselineSummary = canarySummary
        }

        let perInterval = series.eventCounts(intervals: intervals, threshold: threshold)
        var pairs: [IntervalPair] = []
        var canaryAgents: [String: EventCounts] = [:]
        var baselineAgents: [String: EventCounts] = [:]
        for agents in perInterval {
            var pair = IntervalPair(canary: EventCounts(), baseline: EventCounts())
            for (agent, counts) in agents {
                switch cohortOf[agent] {
                case .canary?:
                    pair.canary += counts
                    canaryAgents[agent, default: EventCounts()] += counts
                case .baseline?:
                    pair.baseline += counts
                    baselineAgents[agent, default: EventCounts()] += counts
                case nil:
                    continue
                }
            }
            pairs.append(pair)
        }
        if threshold == nil {
            canarySummary = summary(canaryAgents, kind: check.kind)
            baselineSummary = summary(baselineAgents, kind: check.kind)
        }

        let outcome = comparison.judge(
            intervals: pairs,
            canaryAgents: Array(canaryAgents.values),
            baselineAgents: Array(baselineAgents.values),
            referenceRate: referenceRate,
            elapsed: time - start
        )
        var result = verdict(check, time, outcome.verdict, canarySummary, baselineSummary, describe(check, outcome, canarySummary, baselineSummary, threshold: threshold))
        result.ratio = outcome.ratio.finite
        result.ratioLower = outcome.lower.finite
        result.ratioUpper = outcome.upper.finite
        result.toleratedRatio = outcome.toleratedRatio
        result.designRatio = outcome.designRatio
        result.eValue = outcome.eValue.map { min($0, 1e300) }
        let logE = outcome.eValue.map { log($0) }
        result.pValue = min(1, exp(-max(largestLogE, logE ?? 0)))
        result.agentAllowance = outcome.allowance.finite
        result.agentVariation = outcome.variation
        result.needed = outcome.needed
        return (result, logE)
    }

    private func verdict(_ check: Check, _ time: Double, _ verdict: Verdict, _ canary: CohortSummary, _ baseline: CohortSummary, _ detail: String) -> CheckVerdict {
        CheckVerdict(time: time, check: check.name, verdict: verdict, canary: canary, baseline: baseline, detail: detail)
    }

    /// Value and denominator of a counting check for one cohort. A rate check's value is events
    /// per agent-second: the throughput of a typical agent of the cohort.
    private func summary(_ agents: [String: EventCounts], kind: CheckKind) -> CohortSummary {
        let total = agents.values.reduce(EventCounts(), +)
        return CohortSummary(value: total.rate, n: total.exposure, agents: agents.values.filter { $0.exposure > 0 }.count)
    }

    private func summary(_ histogram: HistogramCounts?, quantile: Double, agents series: CheckSeries, ids: Set<String>, intervals: Int) -> CohortSummary {
        let reporting = Set(series.buckets.prefix(intervals).flatMap { $0.keys }).intersection(ids).count
        return CohortSummary(value: histogram?.quantile(quantile), n: histogram.map { $0.counts.reduce(0, +) } ?? 0, agents: reporting)
    }

    /// The verdict's one sentence of evidence.
    private func describe(_ check: Check, _ outcome: RateComparison.Outcome, _ canary: CohortSummary, _ baseline: CohortSummary, threshold: HistogramThreshold?) -> String {
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
                    text += "; about \(DurationText.compact(seconds: seconds.rounded())) more at the current pace"
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
