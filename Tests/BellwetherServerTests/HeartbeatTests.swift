import BellwetherAPI
import BellwetherCore
import BellwetherServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/v1/agents/heartbeat`: agents learn their desired version; the fleet is kept in
/// memory and written in batches.
@Suite struct HeartbeatTests {
    @Test func aFirstHeartbeatRegistersTheAgentAndAnswersTheVersionItRuns() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.post("/api/v1/agents/heartbeat", .agent, body: #"{"id": "a1", "version": "2.3.1"}"#)
            #expect(response.status == .ok)
            let reply = try response.decode(HeartbeatReply.self)
            #expect(reply == HeartbeatReply(desiredVersion: "2.3.1", heartbeatSeconds: 15))
        }
        let member = try #require(await server.fleet.member(id: "a1"))
        #expect(member.agent.labels == [:])
        #expect(member.agent.healthy)
        #expect(member.agent.lastSeen == ServerHarness.t0)
    }

    @Test func anAssignedAgentIsToldItsDesiredVersionArtifactRolloutAndCohort() async throws {
        let server = try await ServerHarness()
        let artifact = Artifact(url: "https://downloads.example.invalid/agent-2.4.0.tgz", sha256: String(repeating: "ab", count: 32))
        try await server.test { client in
            _ = try await client.heartbeat("a1")
            try await server.fleet.assign(["a1": AgentAssignment(desiredVersion: "2.4.0", artifact: artifact, rolloutID: "r1", cohort: "canary")])
            let reply = try await client.heartbeat("a1")
            #expect(reply == HeartbeatReply(desiredVersion: "2.4.0", artifact: artifact, rollout: "r1", cohort: "canary", heartbeatSeconds: 15))
        }
        #expect(try server.store.agent(id: "a1")?.desiredVersion == "2.4.0")
    }

    @Test(arguments: [
        (#"{"id": "", "version": "1.0"}"#, "invalid-heartbeat", "\"id\" is empty"),
        (#"{"id": "a1", "version": ""}"#, "invalid-heartbeat", "\"version\" is empty"),
        (#"{"id": "a1"}"#, "malformed-body", "missing \"version\""),
        (#"{"id": "a1", "version": "1.0", "healthy": "yes"}"#, "malformed-body", "\"healthy\" must be true or false"),
        (#"{"id": "a1", "version": "1.0", "labels": {"region": 3}}"#, "malformed-body", "\"labels.region\" must be a string"),
        ("not json", "malformed-body", "not valid JSON"),
    ])
    func aMalformedHeartbeatIsABadRequestThatSaysWhatIsWrong(body: String, code: String, message: String) async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.post("/api/v1/agents/heartbeat", .agent, body: body)
            #expect(response.status == .badRequest)
            #expect(response.error?.code == code)
            #expect(response.error?.message.contains(message) == true, "\(response.text)")
        }
    }

    @Test func aHeartbeatLargerThanTheLimitIsRefusedWith413() async throws {
        let server = try await ServerHarness { $0.limits.jsonBytes = 1_000 }
        try await server.test { client in
            let labels = (0..<50).map { "\"k\($0)\": \"\(String(repeating: "v", count: 20))\"" }.joined(separator: ", ")
            let response = try await client.post("/api/v1/agents/heartbeat", .agent, body: #"{"id": "a1", "version": "1", "labels": {\#(labels)}}"#)
            #expect(response.status == .contentTooLarge)
            #expect(response.error?.code == "too-large")
        }
    }

    @Test func heartbeatsReachTheDatabaseInOneBatchNotOneWriteEach() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            for id in ["a1", "a2", "a3"] { _ = try await client.heartbeat(id) }
        }
        #expect(try server.store.agents().isEmpty, "nothing is written per heartbeat")
        #expect(try await server.fleet.flush() == 3)
        #expect(try server.store.agents().map(\.id) == ["a1", "a2", "a3"])
        #expect(try await server.fleet.flush() == 0, "a flush with nothing new writes nothing")
    }

    @Test func aHeartbeatThatChangesNothingMovesOnlyLastSeenAndAChangeIsWrittenWhole() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            _ = try await client.heartbeat("a1", labels: ["region": "eu"])
            try await server.fleet.flush()
            server.clock.advance(seconds: 10)
            _ = try await client.heartbeat("a1", labels: ["region": "eu"])
            try await server.fleet.flush()
            #expect(try server.store.agent(id: "a1")?.agent.lastSeen == ServerHarness.t0.addingTimeInterval(10))
            server.clock.advance(seconds: 10)
            _ = try await client.heartbeat("a1", version: "2.4.0", labels: ["region": "us"])
            try await server.fleet.flush()
            let stored = try #require(try server.store.agent(id: "a1")).agent
            #expect(stored.version == "2.4.0")
            #expect(stored.labels == ["region": "us"])
            #expect(stored.lastSeen == ServerHarness.t0.addingTimeInterval(20))
        }
    }

    @Test func aFullBatchIsWrittenWithoutWaitingForTheFlushInterval() async throws {
        let server = try await ServerHarness { $0.heartbeatBatchSize = 2 }
        try await server.test { client in
            _ = try await client.heartbeat("a1")
            #expect(try server.store.agents().isEmpty)
            _ = try await client.heartbeat("a2")
            #expect(try server.store.agents().map(\.id) == ["a1", "a2"])
        }
    }

    @Test func theLastHeartbeatsAreWrittenWhenTheServerShutsDown() async throws {
        let server = try await ServerHarness { $0.heartbeatFlushInterval = .seconds(3600) }
        try await server.application().test(.live) { client in
            _ = try await client.heartbeat("a1")
        }
        #expect(try server.store.agents().map(\.id) == ["a1"])
    }

    @Test func anAgentNotHeardFromForSilentAfterIsListedAsSilent() async throws {
        let server = try await ServerHarness { $0.silentAfterSeconds = 45 }
        try await server.test { client in
            _ = try await client.heartbeat("quiet")
            server.clock.advance(seconds: 30)
            _ = try await client.heartbeat("chatty")
            server.clock.advance(seconds: 20)
            let agents = try await client.get("/api/v1/agents").decode([AgentView].self)
            #expect(agents.map(\.id) == ["chatty", "quiet"])
            #expect(agents.map(\.silent) == [false, true])
        }
    }

    @Test func agentsAreFilteredByVersionAndCohort() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            _ = try await client.heartbeat("a1", version: "2.3.1")
            _ = try await client.heartbeat("a2", version: "2.4.0")
            _ = try await client.heartbeat("a3", version: "2.4.0")
            try await server.fleet.assign(["a2": AgentAssignment(desiredVersion: "2.4.0", rolloutID: "r1", cohort: "canary")])
            let byVersion = try await client.get("/api/v1/agents?version=2.4.0").decode([AgentView].self)
            #expect(byVersion.map(\.id) == ["a2", "a3"])
            let byCohort = try await client.get("/api/v1/agents?cohort=canary").decode([AgentView].self)
            #expect(byCohort.map(\.id) == ["a2"])
            #expect(byCohort.first?.desiredVersion == "2.4.0")
        }
    }
}
