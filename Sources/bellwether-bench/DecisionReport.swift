import BellwetherScenarios
import Foundation

/// The benchmark's printed output, as Markdown tables so a run can be pasted into the docs as is.
enum DecisionReport {
    static func header(seed: UInt64, streams: Int) -> String {
        """
        # bellwether-bench decisions --seed \(seed) --streams \(streams)

        Judges (every one sees the same samples at the same 30 s boundaries, for a \(Int(StreamTrial.bake / 60))-minute bake):
        - Bellwether: AnalysisEngine, one ratio check (\(FleetMetrics.failures) / \(FleetMetrics.records)), alpha \(StreamTrial.alpha), interval \(Int(StreamTrial.interval)) s, tolerance relative per scenario; an alarm is a rollback.
        - Fixed threshold (Argo Rollouts / Flagger): per interval, canary ratio > baseline ratio × (1 + tolerance) fails the interval; ≥ 100 records per cohort per interval or no verdict; alarm at 3 failed intervals in total.
        - Kayenta-style: every 5 min, Mann–Whitney (one-sided 1%, i.e. Kayenta's 98% two-sided, normal approximation, tie and continuity corrections) of the per-interval cohort ratios so far, canary vs baseline, and mean canary > mean baseline × (1 + tolerance); alarm at the first High.
        - Wald oracle: SPRT on canary records one by one with true per-agent probabilities, α = β = \(StreamTrial.alpha); H1 = true canary rate (A/B) or 2 × stable rate (A/A).
        Records to alarm: canary records processed up to the alarm (medians over alarmed streams); × oracle: that median over the oracle's.

        """
    }

    static func scenarioTable(_ scenarios: [FleetScenario]) -> String {
        var lines = [
            "| scenario | canary v baseline | report | records/s/agent (σ) | stable failure rate (σ) | canary effect | restarts/h | dropouts | tolerance |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for s in scenarios {
            lines.append("| \(s.name) | \(s.canaryAgents) v \(s.baselineAgents) | \(number(s.reportSeconds)) s | \(number(s.recordsPerSecond)) (\(number(s.trafficSigma))) | \(number(s.baseFailureRate * 100))% (\(number(s.failureSigma))) | \(s.effect.summary) | \(number(s.restartsPerHour)) | \(number(s.dropoutShare * 100))% | \(number(s.tolerance * 100))% |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func resultTable(_ scenario: FleetScenario, trials: [StreamTrial]) -> String {
        var engine = JudgeTally(), fixed = JudgeTally(), kayenta = JudgeTally(), oracle = JudgeTally()
        for trial in trials {
            engine.add(trial.engine)
            fixed.add(trial.fixedThreshold)
            kayenta.add(trial.kayenta)
            oracle.add(trial.oracle)
        }
        let promoted = Double(trials.filter(\.enginePromoted).count) / Double(max(trials.count, 1))
        let measure = scenario.effect.isRegression ? "detection" : "false alarms"
        var lines = [
            "### \(scenario.name) (\(trials.count) streams; Bellwether promoted \(percent(promoted)))",
            "",
            "| judge | \(measure) ± se | median canary records to alarm | × oracle |",
            "| --- | --- | --- | --- |",
        ]
        for (name, tally) in [("Bellwether", engine), ("fixed threshold", fixed), ("Kayenta-style", kayenta), ("Wald oracle", oracle)] {
            let median = tally.medianRecords.map { String(Int($0.rounded())) } ?? "–"
            let ratio: String
            if scenario.effect.isRegression, name != "Wald oracle", let mine = tally.medianRecords, let floor = oracle.medianRecords {
                ratio = String(format: "%.1f", mine / floor)
            } else {
                ratio = "–"
            }
            lines.append("| \(name) | \(percent(tally.rate)) ± \(percent(tally.standardError)) | \(median) | \(ratio) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    static func number(_ value: Double) -> String {
        String(format: "%g", value)
    }
}
