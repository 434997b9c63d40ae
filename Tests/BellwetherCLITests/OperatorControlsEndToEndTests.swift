import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// The controls operators hold a rollout with, against the real `bellwether serve` and 200
/// simulated agents on a manual clock: a dry-run check that fails is recorded and shown but rolls
/// nothing back; a check still inconclusive when its bake ends pauses the rollout for an operator
/// or lets it continue, as `onInconclusive` says; a fleet freeze holds a promotion until lifted.
@Suite struct OperatorControlsEndToEndTests {
    static let adminToken = "choices-admin-7d2e9c4b1f6a3805"
    static let agentToken = "choices-agent-3a8f1e6c9b2d4750"
    static let epoch = 1_800_000_000.0
    static let stable = "1.0.0"

    /// One judged step (10% for 2 minutes, stratified by region), then everyone, with `checks`.
    static func policy(_ checks: String, onInconclusive: String = "halt", minAgents: Int = 2) -> String {
        """
        name: choices
        selector: {labels: {role: collector}}
        stratifyBy: region
        steps:
          - {cohort: canary, percent: 10, bake: 2m}
          - {cohort: all,    percent: 100}
        convergence: {timeout: 2m}
        analysis:
          interval: 30s
          alpha: 0.001
          onInconclusive: \(onInconclusive)
          minAgentsPerCohort: \(minAgents)
          checks:
        \(checks)
        """
    }

    static let ratio = "ratio: {numerator: agent.data.enrichment_failures_total, denominator: agent.data.records_processed_total}"

    /// Enforced, and tolerant enough (20× the baseline's rate) that an 8× canary passes it.
    static let lenient = """
            - name: enrichment-lenient
              \(ratio)
              tolerance: {relative: 20}
        """

    /// Judged only on more agents per cohort than the fleet has: this check ends every bake
    /// inconclusive, whatever the data.
    static func demanding(onInconclusive: String) -> String {
        policy("""
                - name: enrichment-exact
                  \(ratio)
                  tolerance: {relative: 0.1}
            """, onInconclusive: onInconclusive, minAgents: 500)
    }

    let bellwether: ProductProcess

    init() throws {
        bellwether = try ProductProcess()
    }

    @Test func aFailingDryRunCheckIsRecordedAndShownButRollsNothingBack() async throws {
        let policy = try lintedPolicy(Self.policy(Self.lenient + "\n" + """
                - name: enrichment-dry-run
                  \(Self.ratio)
                  tolerance: {relative: 0.1}
                  dryRun: true
            """))
        let server = try await startServer()
        defer { server.stop() }
        var fleet = try await checkedInFleet(on: server, failureRates: ["2.0.0": 0.08])
        let id = try startRollout(on: server, policy: policy, version: "2.0.0")
        var shownDuringAStep: [CheckVerdict] = []
        try await tick(&fleet, on: server, rollout: id) { advance in
            if shownDuringAStep.isEmpty, advance.rollouts[id]?.hasPrefix("progressing") == true {
                shownDuringAStep = try await health(on: server, rollout: id).checks.filter { $0.check == "enrichment-dry-run" && $0.verdict == .fail }
            }
            return advance.rollouts[id] == "completed"
        }

        let events = try await auditLog(on: server, rollout: id)
        let dryRunFailures = events.filter { $0.kind == "dry-run-check-failed" }
        #expect(dryRunFailures.map(\.to.step) == [1], "recorded once in the step, not at every look: \(events.map(\.kind))")
        #expect(dryRunFailures.allSatisfy { $0.reason.contains("not acted on (dryRun: true)") && $0.reason.contains("canary") })
        #expect(!events.contains { $0.to.phase == .rollingBack || $0.to.phase == .halted })
        #expect(shownDuringAStep.first?.dryRun == true, "the health endpoint marks the verdict as a dry run's")

        let report = try cli(server, "rollout", "report", id)
        #expect(report.stdout.contains("| enrichment-dry-run (dry run) | fail |"), "\(report.stdout)")
    }

    @Test func anInconclusiveCheckPausesForAnOperatorOrContinuesAsThePolicySays() async throws {
        let server = try await startServer()
        defer { server.stop() }
        var fleet = try await checkedInFleet(on: server, failureRates: ["2.0.0": 0.01, "3.0.0": 0.01])

        // Paused at the end of the bake; an operator's promote moves it on.
        let pausing = try startRollout(on: server, policy: try lintedPolicy(Self.demanding(onInconclusive: "pause")), version: "2.0.0")
        try await tick(&fleet, on: server, rollout: pausing) { $0.rollouts[pausing]?.hasPrefix("halted") == true }
        let log = try await auditLog(on: server, rollout: pausing)
        let paused = try #require(log.last)
        #expect(paused.kind == "check-inconclusive", "\(log.map { "\($0.kind): \($0.reason)" })")
        #expect(paused.to.phase == .halted && paused.to.step == 1)
        #expect(paused.reason.contains("ended with check enrichment-exact inconclusive"), "\(paused.reason)")
        #expect(paused.reason.contains("paused at step 1"), "\(paused.reason)")
        let promoted = try cli(server, "rollout", "promote", pausing, "--step", "1", "--reason", "the ratio is fine")
        #expect(promoted.status == 0, "\(promoted.stderr)")
        try await tick(&fleet, on: server, rollout: pausing) { $0.rollouts[pausing] == "completed" }

        // Continued past the same check, with no operator, each time recorded.
        let continuing = try startRollout(on: server, policy: try lintedPolicy(Self.demanding(onInconclusive: "continue")), version: "3.0.0")
        try await tick(&fleet, on: server, rollout: continuing) { $0.rollouts[continuing] == "completed" }
        let events = try await auditLog(on: server, rollout: continuing)
        let continued = events.filter { $0.kind == "check-inconclusive" }
        #expect(continued.map(\.to.step) == [2], "promoted from the judged step to everyone: \(events.map(\.kind))")
        #expect(continued.allSatisfy { $0.reason.contains("promoted as onInconclusive: continue says") })
        #expect(!events.contains { $0.to.phase == .halted })
    }

    @Test func aFreezeHoldsAPromotionUntilItIsLifted() async throws {
        let server = try await startServer()
        defer { server.stop() }
        var fleet = try await checkedInFleet(on: server, failureRates: ["2.0.0": 0.01])
        let frozen = try cli(server, "freeze", "on", "--reason", "quarter-end close")
        #expect(frozen.status == 0, "\(frozen.stderr)")
        #expect(frozen.stdout.contains("frozen by admin"), "\(frozen.stdout)")

        let id = try startRollout(on: server, policy: try lintedPolicy(Self.policy(Self.lenient)), version: "2.0.0")
        try await tick(&fleet, on: server, rollout: id) { _ in
            try await auditLog(on: server, rollout: id).contains { $0.kind == "promotion-held" }
        }
        for _ in 0..<6 { try await fleet.tick(on: server) }
        let held = try await auditLog(on: server, rollout: id)
        #expect(held.filter { $0.kind == "promotion-held" }.count == 1, "recorded once, not at every look: \(held.map(\.kind))")
        #expect(held.last { $0.kind == "promotion-held" }?.reason.contains("quarter-end close") == true)
        #expect(!held.contains { $0.kind == "step-baked" })
        let status = try cli(server, "rollout", "status", id)
        #expect(status.stdout.contains("state     progressing(step 1)"), "\(status.stdout)")
        #expect(status.stdout.contains("freeze    promotions held: frozen by admin"), "\(status.stdout)")

        let lifted = try cli(server, "freeze", "off")
        #expect(lifted.stdout.contains("not frozen"), "\(lifted.stdout)")
        try await tick(&fleet, on: server, rollout: id) { $0.rollouts[id] == "completed" }
        let events = try await auditLog(on: server, rollout: id)
        #expect(events.filter { $0.kind == "step-baked" }.count == 1, "promoted once the freeze was lifted: \(events.map(\.kind))")
    }

    // MARK: - Helpers

    /// The policy in a file, checked with `bellwether policy lint` first.
    private func lintedPolicy(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("choices-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let lint = try bellwether.run(["policy", "lint", path])
        try #require(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        return path
    }

    private func startServer() async throws -> RunningServer {
        let server = try RunningServer(bellwether, token: Self.adminToken, agentToken: Self.agentToken, manualClock: Self.epoch)
        try await server.waitUntilReady()
        return server
    }

    private func checkedInFleet(on server: RunningServer, failureRates: [String: Double]) async throws -> SimulatedFleet {
        var fleet = SimulatedFleet(
            size: 200, version: Self.stable, now: Self.epoch, failureRate: failureRates.merging([Self.stable: 0.01]) { $1 },
            agentToken: Self.agentToken, adminToken: Self.adminToken, seed: 11
        )
        try await fleet.tick(on: server)
        return fleet
    }

    private func startRollout(on server: RunningServer, policy: String, version: String) throws -> String {
        let started = try cli(server, "rollout", "start", "--policy", policy, "--version", version)
        try #require(started.status == 0, "\(started.stderr)")
        return started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func tick(
        _ fleet: inout SimulatedFleet, on server: RunningServer, rollout id: String, limit: Int = 200,
        until done: (ClockAdvance) async throws -> Bool
    ) async throws {
        try await fleet.tick(on: server, limit: limit, status: {
            let status = try cli(server, "rollout", "status", id)
            return status.stdout + status.stderr
        }, until: done)
    }

    private func cli(_ server: RunningServer, _ arguments: String...) throws -> ProductProcess.Result {
        try bellwether.run(arguments, environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken])
    }

    private func auditLog(on server: RunningServer, rollout id: String) async throws -> [AuditEventView] {
        try await server.auditLog(rollout: id, token: Self.adminToken)
    }

    private func health(on server: RunningServer, rollout id: String) async throws -> RolloutHealthView {
        try await server.health(rollout: id, token: Self.adminToken)
    }

}
