/// Every judge's results over one scenario's streams, with the calibration its tuned reference
/// judges used: what one result table, and one row of each summary table, is made of.
struct ScenarioTallies: Sendable {
    var entry: CatalogEntry
    var calibration: ReferenceCalibration
    var toleratedCalibration: ReferenceCalibration
    var engine = JudgeTally()
    var fixedThreshold = JudgeTally()
    var fixedCalibrated = JudgeTally()
    var kayenta = JudgeTally()
    var kayentaCalibrated = JudgeTally()
    var kayentaBonferroni = JudgeTally()
    var fixedAtTolerance = JudgeTally()
    var kayentaAtTolerance = JudgeTally()
    var oracle = JudgeTally()
    var oracleAtLooks = JudgeTally()
    var twoSample = JudgeTally()
    var twoSampleAtLooks = JudgeTally()
    /// Share of streams Bellwether promoted (baked the whole step with the check passing).
    var promoted = 0.0

    init(entry: CatalogEntry, calibration: ReferenceCalibration, toleratedCalibration: ReferenceCalibration, trials: [StreamTrial]) {
        self.entry = entry
        self.calibration = calibration
        self.toleratedCalibration = toleratedCalibration
        for trial in trials {
            engine.add(trial.engine)
            fixedThreshold.add(trial.fixedThreshold)
            fixedCalibrated.add(trial.fixedCalibrated)
            kayenta.add(trial.kayenta)
            kayentaCalibrated.add(trial.kayentaCalibrated)
            kayentaBonferroni.add(trial.kayentaBonferroni)
            fixedAtTolerance.add(trial.fixedAtTolerance)
            kayentaAtTolerance.add(trial.kayentaAtTolerance)
            oracle.add(trial.oracle)
            oracleAtLooks.add(trial.oracleAtLooks)
            twoSample.add(trial.twoSample)
            twoSampleAtLooks.add(trial.twoSampleAtLooks)
        }
        promoted = Double(trials.filter(\.enginePromoted).count) / Double(max(trials.count, 1))
    }

    var isRegression: Bool { entry.isRegression }
}
