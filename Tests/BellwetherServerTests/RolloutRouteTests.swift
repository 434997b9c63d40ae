import BellwetherAPI
import BellwetherCore
import BellwetherServer
import Foundation
import HummingbirdTesting
import Testing

/// Operators' rollout control: start, list, inspect, act, audit.
@Suite struct RolloutRouteTests {
    @Test func startingARolloutRecordsItAndStartsItsFirstStep() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            for (id, version) in [("a1", "2.3.1"), ("a2", "2.3.1"), ("a3", "2.3.0")] { _ = try await client.heartbeat(id, version: version) }
            _ = try await client.heartbeat("elsewhere", version: "1.0.0", labels: ["role": "router"])
            let response = try await client.startRollout()
            #expect(response.status == .created)
            let rollout = try response.decode(RolloutView.self)
            #expect(rollout.id == "enrichment-canary-1")
            #expect(rollout.targetVersion == "2.4.0")
            #expect(rollout.stableVersion == "2.3.1", "the most common version among the selected agents")
            #expect(rollout.state.phase == .progressing)
            #expect(rollout.state.step == 1)
            #expect(rollout.steps.map(\.percent) == [10, 50, 100])

            let listed = try await client.get("/api/v1/rollouts").decode([RolloutView].self)
            #expect(listed.map(\.id) == [rollout.id])
            let fetched = try await client.get("/api/v1/rollouts/\(rollout.id)").decode(RolloutView.self)
            #expect(fetched == rollout)
        }
    }

    @Test func theStableVersionIgnoresSilentAgents() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            for id in ["old1", "old2"] { _ = try await client.heartbeat(id, version: "2.2.0") }
            server.clock.advance(seconds: 60)
            _ = try await client.heartbeat("live", version: "2.3.1")
            let rollout = try await client.startRollout().decode(RolloutView.self)
            #expect(rollout.stableVersion == "2.3.1")
        }
    }

    @Test func anInvalidPolicyIsABadRequestWithEveryProblemAndItsLine() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let policy = "name: p\nsteps:\n  - {cohort: all, percent: ten}\nanalysis: {checks: []}\n"
            let response = try await client.startRollout(policy: policy)
            #expect(response.status == .badRequest)
            let error = try #require(response.error)
            #expect(error.code == "invalid-policy")
            #expect(error.diagnostics?.map(\.line) == [3, 4])
            #expect(error.diagnostics?.first?.field == "steps[0].percent")
            #expect(error.message.contains("policy:3:28: error: steps[0].percent: must be a number, found 'ten'"), "\(error.message)")
        }
    }

    /// A policy whose own Prometheus needs a variable the controller lacks could only halt.
    @Test func aPolicysPrometheusWithoutItsAuthorizationVariableIsRefusedAtStart() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let variable = "BELLWETHER_TEST_UNSET_\(UUID().uuidString.prefix(8))"
            let policy = Policies.canary + "\nmetrics:\n  prometheus: {url: http://mimir:9009/prometheus, authorizationEnv: \(variable)}\n"
            let response = try await client.startRollout(policy: policy)
            #expect(response.status == .badRequest)
            let error = try #require(response.error)
            #expect(error.code == "unusable-metric-source")
            #expect(error.message.contains("authorizationEnv names \(variable), which is not set"), "\(error.message)")
        }
    }

    @Test func aSecondRolloutForTheSameAgentsIsAConflictNamingTheFirst() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let first = try await client.startRollout().decode(RolloutView.self)
            let second = try await client.startRollout(policy: Policies.canary, version: "2.5.0")
            #expect(second.status == .conflict)
            #expect(second.error?.code == "conflicting-rollout")
            #expect(second.error?.message.contains(first.id) == true)
            let disjoint = try await client.startRollout(policy: Policies.selecting(role: "router"))
            #expect(disjoint.status == .created, "a selector requiring another role selects other agents")
        }
    }

    @Test func operatorsPauseResumePromoteAndAbortWithTheirReasonsInTheAuditLog() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let id = try await client.startRollout().decode(RolloutView.self).id
            let paused = try await client.post("/api/v1/rollouts/\(id)/pause", json: ManualActionRequest(reason: "looking at dashboards"))
            #expect(try paused.decode(RolloutView.self).state.description == "halted(step 1)")
            let resumed = try await client.post("/api/v1/rollouts/\(id)/resume").decode(RolloutView.self)
            #expect(resumed.state.description == "progressing(step 1)")
            let promoted = try await client.post("/api/v1/rollouts/\(id)/promote").decode(RolloutView.self)
            #expect(promoted.state.description == "progressing(step 2)")
            let aborted = try await client.post("/api/v1/rollouts/\(id)/abort", json: ManualActionRequest(reason: "wrong build")).decode(RolloutView.self)
            #expect(aborted.state.phase == .aborted)
            #expect(!aborted.active)

            let events = try await client.get("/api/v1/rollouts/\(id)/events").decode([AuditEventView].self)
            #expect(events.map(\.kind) == ["created", "start", "pause", "resume", "promote", "abort"])
            #expect(events.map(\.revision) == Array(0...5))
            #expect(events.dropFirst().allSatisfy { $0.actor == "admin" })
            #expect(events[2].reason.contains("\"looking at dashboards\""))
        }
    }

    @Test func anIllegalManualActionIsAConflictWithTheStateMachinesReason() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let id = try await client.startRollout().decode(RolloutView.self).id
            let resume = try await client.post("/api/v1/rollouts/\(id)/resume")
            #expect(resume.status == .conflict)
            #expect(resume.error?.code == "illegal-transition")
            #expect(resume.error?.message == "cannot resume a rollout that is progressing(step 1): only a halted rollout resumes")
            _ = try await client.post("/api/v1/rollouts/\(id)/abort")
            let pause = try await client.post("/api/v1/rollouts/\(id)/pause")
            #expect(pause.status == .conflict)
            #expect(pause.error?.message.contains("accepts no further events") == true)
        }
    }

    @Test func aPromoteSentTwiceForTheSameStepPromotesOnceAndTheSecondIsAConflict() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let id = try await client.startRollout().decode(RolloutView.self).id
            let first = try await client.post("/api/v1/rollouts/\(id)/promote", json: ManualActionRequest(step: 1))
            #expect(try first.decode(RolloutView.self).state.description == "progressing(step 2)")
            let again = try await client.post("/api/v1/rollouts/\(id)/promote", json: ManualActionRequest(reason: "retry", step: 1))
            #expect(again.status == .conflict)
            #expect(again.error?.code == "stale-step")
            #expect(again.error?.message == "promote was for step 1, but the rollout is now progressing(step 2): nothing changed; look at it again and act on what it is now")
            let rollout = try await client.get("/api/v1/rollouts/\(id)").decode(RolloutView.self)
            #expect(rollout.state.description == "progressing(step 2)")
            let events = try await client.get("/api/v1/rollouts/\(id)/events").decode([AuditEventView].self)
            #expect(events.map(\.kind) == ["created", "start", "promote"], "one promote recorded")
        }
    }

    @Test func aStepThatIsNotCountedFromOneIsABadRequest() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let id = try await client.startRollout().decode(RolloutView.self).id
            let response = try await client.post("/api/v1/rollouts/\(id)/pause", json: ManualActionRequest(step: 0))
            #expect(response.status == .badRequest)
            #expect(response.error?.code == "invalid-step")
        }
    }

    @Test func anUnknownRolloutIsNotFoundEverywhere() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            for path in ["/api/v1/rollouts/nope", "/api/v1/rollouts/nope/events", "/api/v1/rollouts/nope/health", "/api/v1/rollouts/nope/evaluations"] {
                let response = try await client.get(path)
                #expect(response.status == .notFound)
                #expect(response.error?.code == "unknown-rollout")
            }
            #expect(try await client.post("/api/v1/rollouts/nope/pause").error?.code == "unknown-rollout")
            let unknownPath = try await client.get("/api/v2/everything")
            #expect(unknownPath.status == .notFound)
            #expect(unknownPath.error?.code == "not-found")
        }
    }

    @Test func healthShowsTheStepCohortsAndAnEmptyChecksListUntilTheControllerReports() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            for index in 0..<40 { _ = try await client.heartbeat("agent-\(index)") }
            let id = try await client.startRollout().decode(RolloutView.self).id
            let health = try await client.get("/api/v1/rollouts/\(id)/health").decode(RolloutHealthView.self)
            #expect(health.rollout.state.step == 1)
            #expect(health.cohorts.map(\.role) == [.canary, .baseline])
            #expect(health.cohorts.map(\.name) == ["canary", "baseline"])
            #expect(health.cohorts.allSatisfy { $0.agents > 0 && $0.silent == 0 })
            #expect(health.cohorts[0].onExpectedVersion == 0, "no canary runs 2.4.0 yet")
            #expect(health.cohorts[1].onExpectedVersion == health.cohorts[1].agents)
            #expect(health.checks.isEmpty)
            #expect(try await client.get("/api/v1/rollouts/\(id)/health").text.contains(#""checks":[]"#))
        }
    }

    @Test func evaluationsListEveryBoundaryTheControlLoopJudgedInOrder() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            for index in 0..<10 { _ = try await client.heartbeat("agent-\(index)") }
            let id = try await client.startRollout().decode(RolloutView.self).id
            #expect(try await client.get("/api/v1/rollouts/\(id)/evaluations").decode([RolloutEvaluation].self).isEmpty)
            let judged = (1...2).map { boundary in
                RolloutEvaluation(rolloutID: id, step: 0, windowStart: 1_000, boundary: boundary, time: 1_000 + 30 * Double(boundary), verdicts: [])
            }
            for evaluation in judged { try server.store.recordEvaluation(evaluation) }
            #expect(try await client.get("/api/v1/rollouts/\(id)/evaluations").decode([RolloutEvaluation].self) == judged)
        }
    }
}
