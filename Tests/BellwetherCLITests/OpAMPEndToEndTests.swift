import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// Agents built on the real `opentelemetry-opamp-client` Python package, with the OpenTelemetry
/// SDK for their telemetry, managed by a running `bellwether serve` on a manual clock: during a
/// rollout each canary agent learns its desired version through OpAMP remote configuration,
/// installs it (a restart with the new `service.version`), reports it, and the rollout goes on or
/// rolls back on the data those agents export. Time moves only when the test advances it, and
/// only once every agent told to change has reported its new version.
@Suite struct OpAMPEndToEndTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/opamp_agents.py").path
    static let adminToken = "opamp-e2e-admin-token"
    static let agentToken = "opamp-e2e-agent-token"
    static let stable = "1.0.0"
    static let artifact = Artifact(url: "https://example.invalid/collector-2.0.0.tgz", sha256: String(repeating: "3c", count: 32))
    static let policyYAML = """
        name: opamp-e2e
        selector: {labels: {role: collector}}
        stratifyBy: region
        steps:
          - {cohort: canary, percent: 25, bake: 1m}
          - {cohort: all, percent: 100}
        convergence: {timeout: 2m}
        analysis:
          interval: 30s
          alpha: 0.001
          onNoData: halt
          checks:
            - name: enrichment-failure-ratio
              ratio: {numerator: agent.data.enrichment_failures_total,
                      denominator: agent.data.records_processed_total}
              worseWhen: higher
              tolerance: {relative: 0.1}
              onFail: rollback

        """

    let bellwether: ProductProcess
    let policy: String

    init() throws {
        bellwether = try ProductProcess()
        policy = FileManager.default.temporaryDirectory.appendingPathComponent("opamp-e2e-\(UUID().uuidString).yaml").path
        try Self.policyYAML.write(toFile: policy, atomically: true, encoding: .utf8)
    }

    @Test func aHealthyVersionReachesEveryOpAMPAgent() async throws {
        let (server, fleet) = try await start(targetFailureRate: 0.01)
        defer { fleet.stop(); server.stop() }
        let id = try startRollout(on: server)
        let states = try await run(fleet, on: server, rollout: id) { $0 == "completed" }
        #expect(states.contains("progressing(step 1)"))
        let agents = try await listAgents(on: server)
        #expect(agents.count == 8)
        #expect(agents.allSatisfy { $0.version == "2.0.0" && !$0.silent }, "\(agents.map { "\($0.id) \($0.version)" })")
    }

    @Test func aVersionThatFailsMoreIsRolledBackOnTheOpAMPAgentsData() async throws {
        let (server, fleet) = try await start(targetFailureRate: 0.10)
        defer { fleet.stop(); server.stop() }
        let id = try startRollout(on: server)
        _ = try await run(fleet, on: server, rollout: id) { $0 == "rolled-back" }
        let events = try await get([AuditEventView].self, "/api/v1/rollouts/\(id)/events", on: server)
        #expect(events.contains { $0.kind == "agents-converged" }, "the canary converged through OpAMP: \(events.map(\.kind))")
        #expect(events.contains { $0.kind == "check-failed" }, "\(events.map(\.kind))")
        #expect(fleet.installs.filter { $0.version == "2.0.0" }.count == 2, "25% of each region's 4 agents were told the new version: \(fleet.installs)")
        let agents = try await listAgents(on: server)
        #expect(agents.allSatisfy { $0.version == Self.stable }, "every agent runs the stable version again")
    }

    // MARK: - Helpers

    private func start(targetFailureRate: Double) async throws -> (RunningServer, PythonFleet) {
        let server = try RunningServer(bellwether, token: Self.adminToken, agentToken: Self.agentToken, manualClock: 1_800_000_000)
        try await server.waitUntilReady()
        let fleet = try PythonFleet(
            script: Self.fixture, server: server.url, token: Self.agentToken, version: Self.stable,
            failureRates: [Self.stable: 0.01, "2.0.0": targetFailureRate]
        )
        try fleet.waitUntilReady()
        try fleet.work()
        _ = try await advance(server)
        return (server, fleet)
    }

    private func startRollout(on server: RunningServer) throws -> String {
        let started = try bellwether.run(
            ["rollout", "start", "--policy", policy, "--version", "2.0.0", "--artifact-url", Self.artifact.url, "--sha256", Self.artifact.sha256],
            environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": Self.adminToken]
        )
        try #require(started.status == 0, "\(started.stderr)")
        return started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Ticks of ten controller seconds: every agent told to change installs and reports first,
    /// then every agent works and exports, then the clock moves and the controller runs a pass.
    /// Returns the states the rollout went through; fails past `limit` ticks.
    private func run(_ fleet: PythonFleet, on server: RunningServer, rollout id: String, limit: Int = 60, until done: (String) -> Bool) async throws -> [String] {
        var states: [String] = []
        for _ in 0..<limit {
            let moving = try await listAgents(on: server).compactMap { agent in
                agent.desiredVersion.flatMap { $0 == agent.version ? nil : "\(agent.id) \($0)" }
            }
            try fleet.waitForInstalls(Set(moving))
            try fleet.work()
            let state = try await advance(server)[id] ?? "unknown"
            if states.last != state { states.append(state) }
            if done(state) { return states }
        }
        let events = try await get([AuditEventView].self, "/api/v1/rollouts/\(id)/events", on: server)
        Issue.record("not reached in \(limit) ticks; states: \(states); audit log: \(events.map { "\($0.kind): \($0.reason)" })")
        throw NotReached()
    }

    private func advance(_ server: RunningServer) async throws -> [String: String] {
        let (status, body) = try await server.request("POST", "/api/v1/clock/advance", token: Self.adminToken, body: Data(#"{"seconds": 10}"#.utf8))
        guard status == 200 else { throw UnexpectedResponse(path: "clock/advance", status: status, body: body) }
        return try JSONDecoder().decode(ClockAdvance.self, from: body).rollouts
    }

    private func listAgents(on server: RunningServer) async throws -> [AgentView] {
        try await get([AgentView].self, "/api/v1/agents", on: server)
    }

    private func get<Body: Decodable>(_ type: Body.Type, _ path: String, on server: RunningServer) async throws -> Body {
        let (status, body) = try await server.request("GET", path, token: Self.adminToken)
        guard status == 200 else { throw UnexpectedResponse(path: path, status: status, body: body) }
        return try APICoding.decoder().decode(Body.self, from: body)
    }

    struct NotReached: Error {}
}

/// `opamp_agents.py`: eight OpAMP agents in one Python process, driven through its standard input.
final class PythonFleet: @unchecked Sendable {
    private let process: Process
    private let input: FileHandle
    private var lines: LineReader
    /// Every `installed AGENT VERSION` line so far, in order.
    private(set) var installs: [(agent: String, version: String)] = []
    private var unclaimed: Set<String> = []

    init(script: String, server: String, token: String, version: String, failureRates: [String: Double]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--server", server, "--token", token, "--version", version, "--failure-rate"]
            + failureRates.map { "\($0.key)=\($0.value)" }
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        try process.run()
        input = stdin.fileHandleForWriting
        lines = LineReader(stdout.fileHandleForReading)
    }

    func waitUntilReady() throws {
        try readUntil { $0 == "ready" }
    }

    /// Every agent processes a batch and exports it; returns once all exports are answered.
    func work() throws {
        input.write(Data("work\n".utf8))
        try readUntil { $0 == "worked" }
    }

    /// Returns once each `AGENT VERSION` of `expected` has installed and reported (each install
    /// line answers one wait: an agent that installs what it already had again would be a new line).
    func waitForInstalls(_ expected: Set<String>) throws {
        while !expected.isSubset(of: unclaimed) {
            try readUntil { $0.hasPrefix("installed ") }
        }
        unclaimed.subtract(expected)
    }

    /// Reads lines, noting installs, until one satisfies `stop`; the fixture ending first is a failure
    /// (is opentelemetry-opamp-client installed? scripts/test installs it).
    private func readUntil(_ stop: (String) -> Bool) throws {
        while let line = lines.next() {
            if line.hasPrefix("installed ") {
                let parts = line.split(separator: " ")
                installs.append((String(parts[1]), String(parts[2])))
                unclaimed.insert("\(parts[1]) \(parts[2])")
            }
            if stop(line) { return }
        }
        throw FixtureEnded()
    }

    func stop() {
        if process.isRunning {
            input.write(Data("quit\n".utf8))
            process.waitUntilExit()
        }
    }

    struct FixtureEnded: Error, CustomStringConvertible {
        var description: String { "opamp_agents.py ended early (is opentelemetry-opamp-client installed? run scripts/test)" }
    }
}
