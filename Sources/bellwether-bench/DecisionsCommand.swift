import ArgumentParser
import BellwetherCore
import BellwetherScenarios
import Foundation

/// `bellwether-bench decisions`: decision quality of the engine against the Wald oracle and two
/// reference judges, as deployed and calibrated to the same false-alarm rate, over every named
/// scenario, then the replay speed. Prints the seed and every parameter so a run can be
/// reproduced exactly (docs/decision-benchmark.md).
struct DecisionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions",
        abstract: "False alarms, detection and records-to-alarm per scenario, and replay speed."
    )

    @Option(help: "Seed of every stream; the same seed reproduces the same figures.")
    var seed: UInt64 = 1

    @Option(help: "Streams per scenario (default 400, or 100 with --quick).")
    var streams: Int?

    @Option(help: "A/A streams per matched fleet to calibrate the reference judges on (default 1000, or 250 with --quick).")
    var calibrationStreams: Int?

    @Flag(help: "100 streams per scenario, 250 calibration streams and fewer replay repetitions.")
    var quick = false

    @Option(help: "Only the scenarios whose name contains this text.")
    var only: String?

    @Option(help: "Which scenarios: tuning (those the engine was tuned on), reporting (those it is judged on, never tuned on) or all.")
    var set: ScenarioSet = .all

    @Option(help: "Seconds between two looks of every judge (the policy's analysis interval); 10 looks as often as the simulated agents report.")
    var interval: Double = JudgeCadence.standard.interval

    @Flag(help: "Give Bellwether no history of the agents before the step (each agent then cannot be compared with itself).")
    var noHistory = false

    @Option(help: "Bellwether's design factor: the regression a pass rules out, as a multiple of the tolerated ratio (default 2).")
    var designFactor: Double?

    func validate() throws {
        if let streams, streams < 1 { throw ValidationError("--streams must be at least 1") }
        if let calibrationStreams, calibrationStreams < 1 { throw ValidationError("--calibration-streams must be at least 1") }
        if !(interval >= 1 && interval <= 600) { throw ValidationError("--interval must be between 1 and 600 seconds") }
        if let designFactor, !(designFactor > 1) { throw ValidationError("--design-factor must be greater than 1") }
    }

    func run() async throws {
        let count = streams ?? (quick ? 100 : 400)
        let calibrationCount = calibrationStreams ?? (quick ? 250 : 1_000)
        let entries = ScenarioCatalog.all.filter { (only.map($0.scenario.name.contains) ?? true) && set.contains($0.scenario.name) }
        let cadence = JudgeCadence(interval: interval)
        print(DecisionReport.header(seed: seed, streams: count, calibrationStreams: calibrationCount, cadence: cadence, designFactor: designFactor))
        print(DecisionReport.scenarioTable(entries))

        var calibrations: [FleetScenario: ReferenceCalibration] = [:]
        var toleratedCalibrations: [FleetScenario: ReferenceCalibration] = [:]
        var calibrated: [ReferenceCalibration] = []
        for fleet in entries.map(\.matchedFleet) where calibrations[fleet] == nil {
            guard let fleetIndex = ScenarioCatalog.index(ofFleet: fleet) else { continue }
            let calibration = await ReferenceCalibration.run(fleet: fleet, fleetIndex: fleetIndex, cadence: cadence, seed: seed, streams: calibrationCount)
            let tolerated = await ReferenceCalibration.run(fleet: fleet, fleetIndex: fleetIndex, cadence: cadence, seed: seed, streams: calibrationCount, atTolerance: true)
            calibrations[fleet] = calibration
            toleratedCalibrations[fleet] = tolerated
            calibrated += [calibration, tolerated]
        }
        print(DecisionReport.calibrationTable(calibrated))

        var results: [ScenarioTallies] = []
        for (index, entry) in ScenarioCatalog.all.enumerated() where entries.contains(entry) {
            guard let calibration = calibrations[entry.matchedFleet], let tolerated = toleratedCalibrations[entry.matchedFleet] else { continue }
            let trials = await ParallelStreams.map(count: count) { [seed, noHistory, designFactor] stream in
                StreamTrial(
                    scenario: entry.scenario, calibration: calibration, toleratedCalibration: tolerated, cadence: cadence,
                    seed: StreamSeeds.evaluation(seed, scenario: index, stream: stream), usesHistory: !noHistory, designFactor: designFactor
                )
            }
            let tallies = ScenarioTallies(entry: entry, calibration: calibration, toleratedCalibration: tolerated, trials: trials)
            results.append(tallies)
            print(DecisionReport.resultTable(tallies))
        }
        if results.contains(where: { !$0.isRegression }) { print(DecisionReport.falseAlarmSummary(results)) }
        if results.contains(where: \.isRegression) {
            print(DecisionReport.detectionSummary(results))
            print(DecisionReport.halfCaughtSummary(results))
        }
        print(try ReplaySpeed.report(seed: seed, repetitions: quick ? 3 : 7))
    }
}
