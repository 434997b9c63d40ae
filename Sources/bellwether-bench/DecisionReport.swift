import BellwetherScenarios
import Foundation

/// The benchmark's printed output, as Markdown tables so a run can be pasted into the docs as is.
enum DecisionReport {
    static func header(seed: UInt64, streams: Int, calibrationStreams: Int, cadence: JudgeCadence, designFactor: Double?) -> String {
        """
        # bellwether-bench decisions --seed \(seed) --streams \(streams) --calibration-streams \(calibrationStreams) --interval \(number(cadence.interval))\(designFactor.map { " --design-factor \(number($0))" } ?? "")

        Judges (every one sees the same samples at the same \(cadence.label) boundaries, for a \(Int(cadence.bake / 60))-minute bake):
        - Bellwether: AnalysisEngine, one ratio check (\(FleetMetrics.failures) / \(FleetMetrics.records)), alpha \(StreamTrial.alpha), interval \(cadence.label), tolerance relative per scenario; an alarm is a rollback.
        - Fixed threshold (Argo Rollouts / Flagger): per interval, canary ratio > baseline ratio × (1 + tolerance) fails the interval; ≥ 100 records per cohort per interval or no verdict; as deployed, alarm at 3 failed intervals in total.
        - Kayenta-style: every \(number(cadence.kayentaSeconds / 60)) min (\(cadence.kayentaLooks) analysis runs), Mann–Whitney (normal approximation, tie and continuity corrections) of the per-interval cohort ratios so far, canary vs baseline, and mean canary > mean baseline × (1 + tolerance); alarm at the first High; as deployed, one-sided level 1% (Kayenta's 98% two-sided).
        - Calibrated: the same two judges tuned on the scenario's matched A/A fleet (same shape, no effect) to at most \(percent(StreamTrial.alpha)) false alarms on \(calibrationStreams) calibration streams, seeded apart from the reported streams: the smallest failed-interval limit, and the largest Mann–Whitney level. That tuning knows a thousand healthy runs of exactly the scored fleet, which no deployment does; the Kayenta-style judge at Bonferroni's level (alpha / \(cadence.kayentaLooks) runs) is the setting chosen without that knowledge.
        - Wald oracle: SPRT on canary records one by one with true per-agent probabilities, α = β = \(StreamTrial.alpha); H1 = true canary rate (A/B) or 2 × stable rate (A/A). At \(cadence.label) looks: the canary records at the first \(cadence.label) boundary at or after its alarm.
        - Two-sample oracle: SPRT on the cohort of each failure (canary or baseline), knowing every agent's traffic and relative failure rate and the true alternative but not the fleet's failure level, α = β = \(StreamTrial.alpha): the floor of any judge that learns the baseline from the baseline cohort. At \(cadence.label) looks: the same test evaluated at each boundary on the reports closed by then.
        Records to alarm: canary records processed up to the alarm (medians over alarmed streams); × oracle: that median over the continuous oracle's; × at looks: over the oracle's at \(cadence.label) looks, the floor of any judge that looks at these boundaries; × two-sample, × two-sample at looks: over the two-sample oracle's.

        """
    }

    static func scenarioTable(_ entries: [CatalogEntry]) -> String {
        var table = MarkdownTable(columns: ["scenario", "canary v baseline", "report", "records/s/agent (σ)", "stable failure rate (σ)", "canary effect", "restarts/h", "dropouts", "tolerance", "matched A/A fleet"])
        for entry in entries {
            let s = entry.scenario
            table.rows.append([
                s.name, "\(s.canaryAgents) v \(s.baselineAgents)", "\(number(s.reportSeconds)) s",
                "\(number(s.recordsPerSecond)) (\(number(s.trafficSigma)))", "\(number(s.baseFailureRate * 100))% (\(number(s.failureSigma)))",
                s.effect.summary, number(s.restartsPerHour), "\(number(s.dropoutShare * 100))%", "\(number(s.tolerance * 100))%", entry.matchedFleet.name,
            ])
        }
        return table.text
    }

    static func calibrationTable(_ calibrations: [ReferenceCalibration]) -> String {
        var table = MarkdownTable(
            title: "Calibrated reference judges (\(calibrations.first?.streams ?? 0) A/A calibration streams per fleet)",
            columns: ["matched fleet", "canary tuned at", "fixed threshold: failed-interval limit", "its false alarms (calibration)", "Kayenta-style: Mann–Whitney level", "its false alarms (calibration)"]
        )
        for c in calibrations {
            table.rows.append([c.fleet.name, c.atTolerance ? "the tolerated ratio" : "A/A", limit(c), percent(c.fixedFalseAlarms), level(c.level), percent(c.kayentaFalseAlarms)])
        }
        return table.text
    }

    static func resultTable(_ tallies: ScenarioTallies) -> String {
        let c = tallies.calibration
        let t = tallies.toleratedCalibration
        let measure = tallies.isRegression ? "detection" : "false alarms"
        var table = MarkdownTable(
            title: "\(tallies.entry.scenario.name) (\(tallies.engine.streams) streams; Bellwether promoted \(percent(tallies.promoted)))",
            columns: ["judge", "\(measure) ± se", "median canary records to alarm", "× oracle", "× at looks", "× two-sample", "× two-sample at looks"]
        )
        let judges = [
            ("Bellwether", tallies.engine),
            ("fixed threshold, as deployed (3 failed intervals)", tallies.fixedThreshold),
            ("fixed threshold, calibrated (\(limit(c)) failed intervals)", tallies.fixedCalibrated),
            ("Kayenta-style, as deployed (level 1%)", tallies.kayenta),
            ("Kayenta-style, calibrated (level \(level(c.level)))", tallies.kayentaCalibrated),
            ("Kayenta-style, Bonferroni (level \(level(StreamTrial.alpha / Double(c.cadence.kayentaLooks))))", tallies.kayentaBonferroni),
            ("fixed threshold, calibrated at the tolerated ratio (\(limit(t)) failed intervals)", tallies.fixedAtTolerance),
            ("Kayenta-style, calibrated at the tolerated ratio (level \(level(t.level)))", tallies.kayentaAtTolerance),
        ]
        let floors = [tallies.oracle, tallies.oracleAtLooks, tallies.twoSample, tallies.twoSampleAtLooks]
        for (name, tally) in judges {
            let versus = floors.map { tallies.isRegression ? ratio(tally, $0) : "–" }
            table.rows.append([name, rateWithError(tally), median(tally)] + versus)
        }
        let none = Array(repeating: "–", count: floors.count)
        table.rows.append(["Wald oracle", rateWithError(tallies.oracle), median(tallies.oracle)] + none)
        if tallies.isRegression {
            table.rows.append(["Wald oracle at \(c.cadence.label) looks", rateWithError(tallies.oracleAtLooks), median(tallies.oracleAtLooks)] + none)
        }
        table.rows.append(["two-sample oracle", rateWithError(tallies.twoSample), median(tallies.twoSample)] + none)
        if tallies.isRegression {
            table.rows.append(["two-sample oracle at \(c.cadence.label) looks", rateWithError(tallies.twoSampleAtLooks), median(tallies.twoSampleAtLooks)] + none)
        }
        return table.text
    }

    /// One row per A/A scenario: every judge's false alarms side by side, with Bellwether's
    /// promoted share (a healthy canary it neither rolled back nor promoted was halted).
    static func falseAlarmSummary(_ all: [ScenarioTallies]) -> String {
        var table = MarkdownTable(
            title: "Summary: false alarms on healthy canaries (A/A)",
            columns: [
                "scenario", "Bellwether", "Bellwether promoted", "fixed, deployed", "fixed, calibrated", "Kayenta, deployed", "Kayenta, calibrated",
                "Kayenta, Bonferroni", "fixed, at tolerance", "Kayenta, at tolerance", "Wald oracle", "two-sample oracle",
            ]
        )
        for t in all where !t.isRegression {
            table.rows.append([t.entry.scenario.name, percent(t.engine.rate), percent(t.promoted)]
                + [t.fixedThreshold, t.fixedCalibrated, t.kayenta, t.kayentaCalibrated, t.kayentaBonferroni, t.fixedAtTolerance, t.kayentaAtTolerance, t.oracle, t.twoSample]
                .map { percent($0.rate) })
        }
        return table.text
    }

    /// One row per A/B scenario: detection and median records to alarm of Bellwether and the
    /// calibrated reference judges, against the oracle continuous and at the judges' looks.
    static func detectionSummary(_ all: [ScenarioTallies]) -> String {
        let looks = all.first?.calibration.cadence.label ?? ""
        var table = MarkdownTable(
            title: "Summary: regressions (A/B), detection / median canary records to alarm",
            columns: [
                "scenario", "Bellwether", "fixed, calibrated", "Kayenta, calibrated", "Kayenta, Bonferroni", "fixed, at tolerance", "Kayenta, at tolerance",
                "Wald oracle", "oracle at \(looks) looks", "Bellwether × oracle", "Bellwether × at looks",
                "two-sample oracle", "two-sample at \(looks) looks", "Bellwether × two-sample", "Bellwether × two-sample at looks",
            ]
        )
        for t in all where t.isRegression {
            table.rows.append([
                t.entry.scenario.name, cell(t.engine), cell(t.fixedCalibrated), cell(t.kayentaCalibrated), cell(t.kayentaBonferroni),
                cell(t.fixedAtTolerance), cell(t.kayentaAtTolerance), cell(t.oracle),
                median(t.oracleAtLooks), ratio(t.engine, t.oracle), ratio(t.engine, t.oracleAtLooks),
                cell(t.twoSample), median(t.twoSampleAtLooks), ratio(t.engine, t.twoSample), ratio(t.engine, t.twoSampleAtLooks),
            ])
        }
        return table.text
    }

    /// One row per A/B scenario: the canary records by which each judge had caught half of all
    /// the streams, on one scale whatever its detection rate.
    static func halfCaughtSummary(_ all: [ScenarioTallies]) -> String {
        var table = MarkdownTable(
            title: "Summary: canary records by which half of all streams were caught (a stream never caught counts as never; – : fewer than half)",
            columns: [
                "scenario", "Bellwether", "fixed, calibrated", "Kayenta, calibrated", "Kayenta, Bonferroni", "fixed, at tolerance", "Kayenta, at tolerance",
                "Wald oracle", "two-sample oracle",
            ]
        )
        for t in all where t.isRegression {
            table.rows.append([t.entry.scenario.name] + [
                t.engine, t.fixedCalibrated, t.kayentaCalibrated, t.kayentaBonferroni, t.fixedAtTolerance, t.kayentaAtTolerance, t.oracle, t.twoSample,
            ].map { $0.recordsToHalf.map(String.init) ?? "–" })
        }
        return table.text
    }

    private static func rateWithError(_ tally: JudgeTally) -> String {
        "\(percent(tally.rate)) ± \(percent(tally.standardError))"
    }

    private static func cell(_ tally: JudgeTally) -> String {
        "\(percent(tally.rate)) / \(median(tally))"
    }

    private static func median(_ tally: JudgeTally) -> String {
        tally.medianRecords.map { String(Int($0.rounded())) } ?? "–"
    }

    private static func ratio(_ tally: JudgeTally, _ floor: JudgeTally) -> String {
        guard let mine = tally.medianRecords, let floor = floor.medianRecords else { return "–" }
        return String(format: "%.1f", mine / floor)
    }

    private static func limit(_ calibration: ReferenceCalibration) -> String {
        calibration.fixedCanAlarm ? String(calibration.failureLimit) : "none reachable (> \(calibration.cadence.evaluations))"
    }

    /// Levels span many orders of magnitude: two significant digits.
    private static func level(_ value: Double) -> String {
        String(format: "%.2g", value)
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    static func number(_ value: Double) -> String {
        String(format: "%g", value)
    }
}
