import BellwetherAPI
import BellwetherCore
import BellwetherFleetSim
import BellwetherHTTPClient
import BellwetherServer
import BellwetherStore
import Foundation
import Logging

/// `bellwether demo` as a value: the embedded controller on a free loopback port, the simulated
/// fleet, one canary rollout of a version that behaves as the scenario says, narrated until the
/// controller has decided, then the rollout report. Controller and fleet share one clock moved in
/// lockstep (`Pace`), so a 10-minute bake passes in ten seconds at `--speed 60` while the decision
/// path runs exactly as in real time, and the outcome depends on the seed alone, never on how busy
/// the machine is. Tests run it in-process.
struct DemoRun: Sendable {
    static let stableVersion = "2.3.1"
    static let targetVersion = "2.4.0"

    var agents = 200
    var speed = 60.0
    var scenario = FleetScenario.silentKiller
    var databasePath: String?
    var keepRunning = false
    var seed: UInt64 = 1
    var policyPath = "policies/demo-canary.yaml"
    var print: @Sendable (String) -> Void = Printer.line
    /// Controller seconds the clock moves at a time, once every agent's requests are answered.
    var lockstep: Double = 5
    /// Whether `speed` holds time back; tests turn it off, and time then moves as fast as the
    /// fleet is answered.
    var paced = true
    /// Controller seconds the fleet runs on the stable version before the rollout starts: a real
    /// fleet has run for hours when a rollout begins, and the controller judges each agent
    /// against its own recent past (the policy's `analysis.history`), so the demo gives it one.
    var warmUp: Double = 600
    /// When the demo stops watching: by default once the rollout is finished or halted for a human.
    var settled: @Sendable (RolloutView) -> Bool = { DemoExpectation.isSettled($0.state.phase) }

    struct Outcome: Sendable {
        var rollout: RolloutView
        /// Nil when the controller decided as the scenario expects.
        var unmet: String?
        var report: String
    }

    /// Controller, fleet and narrator share the process's one HTTP client, shut down once the
    /// controller has stopped.
    func run() async throws -> Outcome {
        try await OutboundHTTP.with(timeouts: FleetTransport.timeouts, connectionsPerHost: 64) { http in
            try await run(http: http)
        }
    }

    private func run(http: OutboundHTTP) async throws -> Outcome {
        let yaml = try CommandFailure.reading(policyPath) { try String(contentsOfFile: $0, encoding: .utf8) }
        let policy: Policy
        do {
            policy = try PolicyDecoder.decode(yaml: yaml, file: policyPath)
        } catch {
            throw CommandFailure.badInput(error.diagnostics.map(\.description).joined(separator: "\n"))
        }
        let temporary = databasePath == nil
            ? FileManager.default.temporaryDirectory.appendingPathComponent("bellwether-demo-\(UUID().uuidString)") : nil
        if let temporary { try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true) }
        defer { if let temporary, !keepRunning { try? FileManager.default.removeItem(at: temporary) } }
        let path = databasePath ?? temporary!.appendingPathComponent("demo.db").path

        // A lockstep run starts on a whole second: the agents' arithmetic on absolute times then
        // rounds the same way in every run, so a seed replays its draws exactly.
        let clock = ManualClock(now: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        // In a database of its own the rollout is named by the seed, and so are its cohorts: the
        // same seed replays the same demo. A database given with --db may hold earlier demos.
        let seed = seed
        let rolloutID: (@Sendable (Policy) -> String)? = temporary == nil ? nil : { @Sendable policy in Self.rolloutID(policy: policy, seed: seed) }
        let controller = try await EmbeddedController.start(
            databasePath: path, clock: clock, heartbeatSeconds: 30, silentAfter: 150, http: http, rolloutID: rolloutID
        )
        let base = controller.url
        print("Bellwether controller running at \(base.absoluteString) (dashboard: \(base.absoluteString)/), database \(path)")
        guard let control = controller.clockControl else { throw CommandFailure.failed("the embedded controller's clock cannot be moved") }
        if paced {
            print("Time runs up to \(Self.number(speed))× faster than real time, in steps of \(Self.number(lockstep)) s for the controller and the fleet alike, "
                + "each once every agent has been answered: a busy machine slows the demo down, it cannot change what the controller sees.")
        }

        let fleet = FleetSimulator(
            configuration: .init(agents: agents, seed: seed, settings: SimulationSettings(
                stableVersion: Self.stableVersion, behaviours: [Self.targetVersion: scenario.behaviour]
            ), batchSize: 50),
            transport: FleetTransport(server: base, token: nil, http: http),
            clock: clock
        )
        let fleetTask = Task { await fleet.run() }
        print(Self.describe(fleet.profiles))
        let pace = Pace(step: lockstep, speed: paced ? speed : nil, clock: clock, fleet: fleet, control: control)
        try await pace.drive(until: { fleet.checkedIn == agents }, within: 600, "the fleet could not check in: \(fleet.sent.lastError ?? "no answer")")
        print("All \(agents) agents checked in on \(Self.stableVersion).")
        if warmUp > 0 {
            print("Letting the fleet run \(Self.duration(warmUp)) on \(Self.stableVersion) first, so the controller knows each agent's normal.")
            let ready = clock.now.addingTimeInterval(warmUp)
            try await pace.drive(until: { clock.now >= ready }, within: warmUp + lockstep, "the fleet's warm-up did not finish")
        }
        print("Rolling out \(Self.targetVersion): \(scenario.story).")

        let client = BellwetherClient(server: base, token: nil, http: http)
        let started: RolloutView = try await client.post("api/v1/rollouts", body: StartRolloutRequest(
            policy: yaml, version: Self.targetVersion,
            artifact: Artifact(url: "https://downloads.example.invalid/collector-\(Self.targetVersion).tgz", sha256: String(repeating: "ab", count: 32)),
            policyFile: policyPath
        ))
        print("Rollout \(started.id) with policy \(policy.name): " + started.stepLines.joined(separator: ", "))

        let rollout = try await narrate(started.id, client: client, fleet: fleet, pace: pace, budget: Self.budget(policy))
        let report = try await RolloutReport.fetch(started.id, from: client)
        let unmet = DemoExpectation(scenario: scenario, policy: policy).unmet(rollout: rollout, events: report.events)
        let counters = fleet.sent
        print("")
        print(report.markdown)
        print("")
        print("Fleet traffic: \(counters.heartbeats) heartbeats, \(counters.metricExports) metric and \(counters.traceExports) trace exports (\(counters.spans) spans), \(counters.errors) errors")
        if keepRunning {
            print("The controller and the fleet keep running at \(base.absoluteString)/; press Ctrl-C to stop.")
            let time = Task { while !Task.isCancelled { try await pace.next() } }
            await controller.waitUntilStopped()
            time.cancel()
            _ = await time.result
        }
        fleetTask.cancel()
        await fleetTask.value
        await controller.stop()
        return Outcome(rollout: rollout, unmet: unmet, report: report.markdown)
    }

    /// Prints what happens until the rollout settles (completed, rolled back, halted for a
    /// human), or fails once the policy's whole time budget has passed in controller time.
    private func narrate(_ id: String, client: BellwetherClient, fleet: FleetSimulator, pace: Pace, budget: Double) async throws -> RolloutView {
        let clock = pace.clock
        var narrator = DemoNarrator(origin: clock.now)
        var versions = ""
        let deadline = clock.now.addingTimeInterval(budget)
        while true {
            let rollout: RolloutView = try await client.get("api/v1/rollouts/\(id)")
            let events: [AuditEventView] = try await client.get("api/v1/rollouts/\(id)/events")
            let evaluations: [RolloutEvaluation] = try await client.get("api/v1/rollouts/\(id)/evaluations")
            narrator.lines(evaluations: evaluations).forEach(print)
            narrator.lines(events: events).forEach(print)
            let now = DemoNarrator.versions(fleet.versions)
            if now != versions {
                versions = now
                print("\(narrator.stamp(clock.now)) fleet: \(now)")
            }
            if settled(rollout) { return rollout }
            guard clock.now < deadline else {
                throw CommandFailure.failed("the rollout is still \(rollout.state.description) after \(Int(budget)) s of controller time: \(rollout.reason)")
            }
            try await pace.next()
        }
    }

    /// Every bake, every convergence timeout, and ten minutes for the rollback: more controller
    /// time than any rollout of the policy can take.
    static func budget(_ policy: Policy) -> Double {
        let bakes = policy.steps.compactMap(\.bakeSeconds).reduce(0, +)
        return bakes + Double(policy.steps.count) * policy.convergence.timeoutSeconds + 600
    }

    static func rolloutID(policy: Policy, seed: UInt64) -> String {
        var hash = StableHash()
        hash.combine("demo rollout \(seed)")
        return "\(policy.name)-" + String(UInt32(truncatingIfNeeded: hash.value), radix: 16)
    }

    static func describe(_ profiles: [AgentProfile]) -> String {
        let rates = profiles.map(\.recordsPerSecond)
        let shares = profiles.map(\.specialShare)
        let regions = Set(profiles.compactMap { $0.labels["region"] }).count
        return "Fleet: \(profiles.count) simulated collectors in \(regions) regions, \(number(rates.min() ?? 0))–\(number(rates.max() ?? 0)) records/s each, "
            + "refunds \(Int(((shares.min() ?? 0) * 100).rounded()))–\(Int(((shares.max() ?? 0) * 100).rounded()))% of an agent's records"
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0 ? "\(Int(seconds / 60)) minutes" : "\(Int(seconds)) s"
    }

    static func number(_ value: Double) -> String {
        String(format: "%.3g", value)
    }
}
