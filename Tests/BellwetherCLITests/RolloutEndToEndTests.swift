import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// Issue 4's "done when", against the real `bellwether serve` process: 200 simulated collectors
/// heartbeat and report telemetry over HTTP, operators use the real command-line verbs, and the
/// controller runs on a manual clock that only the test moves, ten simulated seconds a tick, so a
/// rollout of several minutes plays out in seconds without a single sleep.
@Suite struct RolloutEndToEndTests {
    static let adminToken = "e2e-admin-c4a9f2b7e1d03658"
    static let agentToken = "e2e-agent-95b2e8d4f7a1c036"
    static let epoch = 1_800_000_000.0
    static let stable = "1.0.0"
    static let artifact = Artifact(url: "https://example.invalid/a.tgz", sha256: String(repeating: "5e", count: 32))
    static let check = "enrichment-failure-ratio"
    /// Two judged steps with a two-minute bake each, then everyone; stratified by region so each
    /// step's cohort is exactly its share of every region. Alpha is 0.001 because these tests are
    /// about the controller's mechanics, with several healthy rollouts a run: at 0.01 a false
    /// alarm (rare, but bounded only by alpha per step) would fail them once in a few dozen runs.
    static let policyYAML = """
        name: e2e
        selector: {labels: {role: collector}}
        stratifyBy: region
        steps:
          - {cohort: canary, percent: 10, bake: 2m}
          - {cohort: half,   percent: 50, bake: 2m}
          - {cohort: all,    percent: 100}
        convergence: {timeout: 2m}
        analysis:
          interval: 30s
          alpha: 0.001
          onNoData: halt
          checks:
            - name: \(check)
              ratio: {numerator: agent.data.enrichment_failures_total,
                      denominator: agent.data.records_processed_total}
              worseWhen: higher
              tolerance: {relative: 0.1}
              onFail: rollback

        """

    let bellwether: ProductProcess
    let policy: String

    /// Writes the policy and checks it with `bellwether policy lint`, as an operator would before
    /// starting anything with it.
    init() throws {
        bellwether = try ProductProcess()
        policy = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString).yaml").path
        try Self.policyYAML.write(toFile: policy, atomically: true, encoding: .utf8)
        let lint = try bellwether.run(["policy", "lint", policy])
        guard lint.status == 0 else { throw PolicyRejected(output: lint.stdout + lint.stderr) }
    }

    // MARK: - The scenarios

    @Test func aHealthyVersionRollsOutToEveryAgentStepByStep() async throws {
        let server = try await startServer()
        defer { server.stop() }
        var fleet = try await checkedInFleet(on: server, target: "2.0.0", targetFailureRate: 0.01, seed: 1)

        let id = try startRollout(on: server, version: "2.0.0", artifact: Self.artifact)
        var verdictsDuringAStep: [CheckVerdict] = []
        try await tick(&fleet, on: server, rollout: id) { advance in
            if verdictsDuringAStep.isEmpty, advance.rollouts[id]?.hasPrefix("progressing") == true {
                verdictsDuringAStep = try await health(on: server, rollout: id).checks.filter { $0.canary.value != nil && $0.baseline.value != nil }
            }
            return advance.rollouts[id] == "completed"
        }
        let status = try cli(server, "rollout", "status", id, "--output", "json")
        let shown = try APICoding.decoder().decode(RolloutHealthView.self, from: Data(status.stdout.utf8))
        #expect(shown.rollout.state.phase == .completed)

        let events = try await auditLog(on: server, rollout: id)
        #expect(events.filter { $0.kind == "step-baked" }.map(\.from?.step) == [1, 2], "every judged step baked exactly once")
        let report = try cli(server, "rollout", "report", id, "--format", "json")
        let reported = try #require(JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        #expect((reported["events"] as? [[String: Any]])?.count == events.count, "the report tells the whole audit log")
        #expect(promotions(in: events) == [1, 2, 3], "every step entered exactly once")

        let verdict = try #require(verdictsDuringAStep.first, "the health endpoint showed the check's canary and baseline values during a step")
        #expect(verdict.check == Self.check)
        #expect(verdict.canary.agents > 0 && verdict.baseline.agents > 0)

        let canaryReplies = fleet.agents.flatMap(\.replies).filter { $0.cohort == "canary" }
        #expect(!canaryReplies.isEmpty)
        #expect(canaryReplies.allSatisfy { $0.desiredVersion == "2.0.0" && $0.artifact == Self.artifact && $0.rollout == id },
                "the canary is told where to download the version and how to verify it")

        for _ in 0..<5 where fleet.agents.contains(where: { $0.version != "2.0.0" }) {
            try await fleet.tick(on: server)
        }
        try await fleet.heartbeat(on: server)
        let listed = try cli(server, "agents", "list", "--output", "json")
        let agents = try APICoding.decoder().decode([AgentView].self, from: Data(listed.stdout.utf8))
        #expect(agents.count == 200)
        #expect(agents.allSatisfy { $0.version == "2.0.0" && !$0.silent }, "every agent reports the new version")
    }

    @Test func aVersionThatFailsEnrichmentMoreOftenIsRolledBackByItself() async throws {
        let server = try await startServer()
        defer { server.stop() }
        var fleet = try await checkedInFleet(on: server, target: "3.0.0", targetFailureRate: 0.08, seed: 2)

        let id = try startRollout(on: server, version: "3.0.0")
        try await tick(&fleet, on: server, rollout: id) { $0.rollouts[id] == "rolled-back" }

        let events = try await auditLog(on: server, rollout: id)
        let failed = try #require(events.first { $0.kind == "check-failed" }, "\(events.map(\.kind))")
        guard case .checkFailed(let check, let action, let evidence)? = failed.detail else {
            Issue.record("check-failed without its evidence: \(String(describing: failed.detail))")
            return
        }
        #expect(check == Self.check)
        #expect(action == .rollback)
        #expect(evidence.contains("canary"), "the evidence compares canary and baseline: \(evidence)")
        #expect(events.suffix(2).map(\.to.phase) == [.rollingBack, .rolledBack], "\(events.map(\.kind))")
        #expect(fleet.agents.allSatisfy { $0.version == Self.stable }, "every agent reports the stable version again")

        let toldTarget = fleet.agents.filter { $0.replies.contains { $0.desiredVersion == "3.0.0" } }
        #expect(toldTarget.count == 20, "10% of 200 agents, 5 per region")
        #expect(toldTarget.allSatisfy { agent in
            agent.replies.allSatisfy { $0.desiredVersion != "3.0.0" || $0.cohort == "canary" }
        }, "only the first step's canary was ever told the faulty version")

        // The report tells why: the step's last verdicts and the decision they led to.
        let report = try cli(server, "rollout", "report", id)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("## Step 1: verdicts at"), "\(report.stdout)")
        #expect(report.stdout.contains("Decision: **rollback** (\(Self.check))"), "\(report.stdout)")
        #expect(report.stdout.contains("| \(Self.check) | fail |"), "\(report.stdout)")
    }

    @Test func operatorsPauseResumeAndRollBackByHand() async throws {
        let server = try await startServer()
        defer { server.stop() }
        var fleet = try await checkedInFleet(on: server, target: "2.0.0", targetFailureRate: 0.01, seed: 3)
        let id = try startRollout(on: server, version: "2.0.0")
        try await tick(&fleet, on: server, rollout: id) { _ in
            try await auditLog(on: server, rollout: id).contains { $0.kind == "agents-converged" }
        }

        let paused = try cli(server, "rollout", "pause", id, "--reason", "a closer look")
        #expect(paused.stdout.contains("halted(step 1)"), "\(paused.stdout)\(paused.stderr)")
        let bakeAndMore = Int((120 + 30) / SimulatedFleet.tickSeconds)
        for _ in 0..<bakeAndMore {
            let state = try await fleet.tick(on: server).rollouts[id]
            #expect(state == "halted(step 1)", "a paused rollout is never promoted")
        }
        #expect(try await auditLog(on: server, rollout: id).allSatisfy { $0.kind != "step-baked" })

        let resumed = try cli(server, "rollout", "resume", id)
        #expect(resumed.stdout.contains("progressing(step 1)"), "\(resumed.stdout)\(resumed.stderr)")
        let resumedAt = fleet.now
        try await tick(&fleet, on: server, rollout: id) { $0.rollouts[id] == "progressing(step 2)" }
        let baked = try #require(try await auditLog(on: server, rollout: id).first { $0.kind == "step-baked" })
        #expect(baked.at.timeIntervalSince1970 >= resumedAt + 120, "a resume restarts the step's bake")

        let rolledBack = try cli(server, "rollout", "rollback", id, "--reason", "by hand")
        #expect(rolledBack.stdout.contains("rolling-back"), "\(rolledBack.stdout)\(rolledBack.stderr)")
        try await tick(&fleet, on: server, rollout: id) { $0.rollouts[id] == "rolled-back" }
        #expect(fleet.agents.allSatisfy { $0.version == Self.stable })
        let manual = try await auditLog(on: server, rollout: id).filter { ManualAction(rawValue: $0.kind) != nil }
        #expect(manual.map(\.kind) == ["pause", "resume", "rollback"], "operators' commands are in the audit log")
        #expect(manual.first?.reason.contains("a closer look") == true, "with the reason the operator gave")
    }

    /// The server is SIGKILLed at the most delicate instant of a rollout: step 2 has just been
    /// promoted and its new canary told the target version, but none has installed it yet and the
    /// heartbeats since the last pass were never written. A second server on the same database,
    /// its clock where the first one's stopped, must finish the rollout without baking or
    /// promoting anything twice and without ever telling an agent to go back.
    @Test func aServerKilledMidRolloutResumesWhereItStoodOnTheSameDatabase() async throws {
        let first = try await startServer()
        defer { first.stop() }
        var fleet = try await checkedInFleet(on: first, target: "2.0.0", targetFailureRate: 0.01, seed: 4)
        let id = try startRollout(on: first, version: "2.0.0")
        try await tick(&fleet, on: first, rollout: id) { $0.rollouts[id] == "progressing(step 2)" }
        try await fleet.heartbeat(on: first)
        #expect(fleet.agents.contains { $0.pending?.version == "2.0.0" }, "step 2's new canary has been told, and not installed yet")
        first.kill()

        let second = try await startServer(database: first.database, at: fleet.now)
        defer { second.stop() }
        try await tick(&fleet, on: second, rollout: id) { $0.rollouts[id] == "completed" }

        let events = try await auditLog(on: second, rollout: id)
        #expect(events.filter { $0.kind == "step-baked" }.map(\.from?.step) == [1, 2], "every step baked exactly once")
        #expect(promotions(in: events) == [1, 2, 3], "no step promoted twice")
        for (agent, told) in fleet.toldVersions {
            #expect(told.drop { $0 != "2.0.0" }.allSatisfy { $0 == "2.0.0" }, "\(agent) was told \(told)")
        }
    }

    // MARK: - Helpers

    /// A fresh server (or one on `database`) on a manual clock at `time`, ready for requests.
    private func startServer(database: String? = nil, at time: Double = epoch) async throws -> RunningServer {
        let server = try RunningServer(bellwether, token: Self.adminToken, agentToken: Self.agentToken, database: database, manualClock: time)
        try await server.waitUntilReady()
        return server
    }

    /// 200 agents on the stable version, heard from and stored once, so a rollout started now
    /// finds its stable version and its cohorts.
    private func checkedInFleet(on server: RunningServer, target: String, targetFailureRate: Double, seed: UInt64) async throws -> SimulatedFleet {
        var fleet = SimulatedFleet(
            size: 200, version: Self.stable, now: Self.epoch, failureRate: [Self.stable: 0.01, target: targetFailureRate],
            agentToken: Self.agentToken, adminToken: Self.adminToken, seed: seed
        )
        try await fleet.tick(on: server)
        return fleet
    }

    /// `bellwether rollout start` with the test policy; the new rollout's id.
    private func startRollout(on server: RunningServer, version: String, artifact: Artifact? = nil) throws -> String {
        var arguments = ["rollout", "start", "--policy", policy, "--version", version]
        if let artifact { arguments += ["--artifact-url", artifact.url, "--sha256", artifact.sha256] }
        let started = try cli(server, arguments)
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

    /// The steps the rollout entered, in order: transitions into a step from anywhere else (the
    /// canary converging is recorded as a transition too, from the step to itself).
    private func promotions(in events: [AuditEventView]) -> [Int?] {
        events.filter { $0.to.phase == .progressing && $0.from?.step != $0.to.step }.map(\.to.step)
    }

    private func cli(_ server: RunningServer, _ arguments: String...) throws -> ProductProcess.Result {
        try cli(server, arguments)
    }

    private func cli(_ server: RunningServer, _ arguments: [String]) throws -> ProductProcess.Result {
        try bellwether.run(arguments, environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken])
    }

    private func auditLog(on server: RunningServer, rollout id: String) async throws -> [AuditEventView] {
        try await server.auditLog(rollout: id, token: Self.adminToken)
    }

    private func health(on server: RunningServer, rollout id: String) async throws -> RolloutHealthView {
        try await server.health(rollout: id, token: Self.adminToken)
    }

    struct PolicyRejected: Error { var output: String }
}
