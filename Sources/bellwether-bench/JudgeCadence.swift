/// When every judge of a benchmark run looks: the analysis interval, the bake, and how many
/// intervals make one Kayenta-style analysis run.
///
/// The interval is the floor under every judge's records to alarm: none can act before its
/// first boundary, so the oracle "at looks" is computed on the same boundaries. The default is
/// the controller's usual 30 s; `--interval 10` looks as often as the agents report.
struct JudgeCadence: Sendable, Hashable {
    var interval: Double
    var bake: Double = 3_600
    /// Kayenta runs its analysis every 5 minutes whatever the series' step.
    var kayentaSeconds: Double = 300

    static let standard = JudgeCadence(interval: 30)

    /// Boundaries judged within the bake.
    var evaluations: Int { Int((bake / interval).rounded()) }

    /// Intervals between two Kayenta-style analysis runs.
    var kayentaEveryIntervals: Int { max(1, Int((kayentaSeconds / interval).rounded())) }

    /// Kayenta-style analysis runs within the bake: what a Bonferroni split of the level divides by.
    var kayentaLooks: Int { max(1, evaluations / kayentaEveryIntervals) }

    /// "30 s", for labels.
    var label: String { "\(DecisionReport.number(interval)) s" }
}
