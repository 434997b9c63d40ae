import BellwetherAPI
import BellwetherCore
import BellwetherTestSupport
import Foundation
import Testing

/// The real `bellwether serve` SIGKILLed at random instants while three rollouts play out one
/// after the other on one database, a healthy one, a faulty one and a healthy one, driven by 200
/// simulated collectors: before a tick, or while its heartbeats, its observations or the
/// controller's pass are in flight. After each kill a new server starts on what the last one left,
/// its clock a tick later. Whatever the instant, the audit log must hold every state a pass or an
/// operator's command acknowledged, in order; no step may be baked or promoted twice; no agent of
/// a healthy rollout may be told to go back; and each rollout must end as its version deserves.
@Suite(.serialized) struct ServeChaosTests {
    typealias E2E = RolloutEndToEndTests
    static let rollouts: [(version: String, healthy: Bool)] = [("2.0.0", true), ("2.1.0", false), ("2.2.0", true)]
    /// One tick in this many kills the server.
    static let killEvery = 4
    /// One run in the suite (three rollouts, about 23 kills), so the whole CI run stays in its
    /// budget; `BELLWETHER_CHAOS_RUNS=N` for a longer one (seeds 1 to N).
    static let seeds: [UInt64] = Array(1...UInt64(ProcessInfo.processInfo.environment["BELLWETHER_CHAOS_RUNS"].flatMap { UInt64($0) }.map { max($0, 1) } ?? 1))

    let bellwether: ProductProcess
    let policy: String

    init() throws {
        bellwether = try ProductProcess()
        policy = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-\(UUID().uuidString).yaml").path
        try E2E.policyYAML.write(toFile: policy, atomically: true, encoding: .utf8)
    }

    @Test(arguments: seeds)
    func rolloutsKilledAtRandomInstantsLoseNothingAcknowledged(seed: UInt64) async throws {
        var chaos = Chaos(bellwether: bellwether, random: SplitMix64(seed: seed))
        defer { chaos.stopAll() }
        var failureRate = [E2E.stable: 0.01]
        for rollout in Self.rollouts { failureRate[rollout.version] = rollout.healthy ? 0.01 : 0.10 }
        var fleet = SimulatedFleet(
            size: 200, version: E2E.stable, now: E2E.epoch, failureRate: failureRate,
            agentToken: E2E.agentToken, adminToken: E2E.adminToken, seed: seed
        )
        try await chaos.start(at: E2E.epoch)
        try await fleet.tick(on: chaos.server)

        var stable = E2E.stable
        for rollout in Self.rollouts {
            let id = try chaos.cli(["rollout", "start", "--policy", policy, "--version", rollout.version]).trimmingCharacters(in: .whitespacesAndNewlines)
            var acknowledged = ["progressing(step 1)"]
            var manual: [String] = []
            let pauseAt = rollout.healthy ? Int.random(in: 3...8, using: &chaos.random) : nil
            var ticks = 0
            while !["completed", "rolled-back"].contains(acknowledged.last) {
                ticks += 1
                try #require(ticks <= 400, "rollout \(rollout.version) stands at \(acknowledged.last ?? "?") after 400 ticks")
                if ticks == pauseAt, acknowledged.last?.hasPrefix("progressing") == true {
                    acknowledged.append(try chaos.cli(["rollout", "pause", id, "--reason", "chaos"]).stateWord)
                    manual.append("pause")
                    try await chaos.tick(&fleet, acknowledging: id, into: &acknowledged)
                    acknowledged.append(try chaos.cli(["rollout", "resume", id]).stateWord)
                    manual.append("resume")
                }
                try await chaos.tick(&fleet, acknowledging: id, into: &acknowledged)
            }

            let events = try await chaos.auditLog(rollout: id)
            let logged = events.map(\.to.description).reduce(into: [String]()) { states, state in
                if states.last != state { states.append(state) }
            }
            #expect(acknowledged.isSubsequence(of: logged), "acknowledged \(acknowledged), logged \(logged)")
            let baked = events.filter { $0.kind == "step-baked" }.compactMap(\.from?.step)
            #expect(baked == Array(Set(baked)).sorted(), "each step baked at most once: \(baked)")
            let promotions = events.filter { $0.to.phase == .progressing && $0.from?.step != $0.to.step }.compactMap(\.to.step)
            #expect(promotions == Array(1...max(1, promotions.count)), "no step promoted twice or skipped: \(promotions)")
            #expect(events.filter { ManualAction(rawValue: $0.kind) != nil }.map(\.kind) == manual, "operators' commands are in the log")
            #expect(acknowledged.last == (rollout.healthy ? "completed" : "rolled-back"), "\(rollout.version): \(acknowledged)")
            if rollout.healthy {
                for (agent, told) in fleet.toldVersions {
                    #expect(!zip(told, told.dropFirst()).contains { $0 == (rollout.version, stable) }, "\(agent) was told \(told)")
                }
                stable = rollout.version
            }
        }
        #expect(fleet.agents.allSatisfy { $0.version == stable }, "the fleet ends on the last healthy version")
        #expect(chaos.kills >= 8, "the servers were killed \(chaos.kills) times")
        #expect(chaos.killsMidTick >= 3, "\(chaos.killsMidTick) kills landed while a tick's requests were in flight")
    }
}

/// The servers of one chaos run: the current one, every one killed before it (their database is
/// the current one's), and the kills so far.
private struct Chaos {
    typealias E2E = RolloutEndToEndTests
    let bellwether: ProductProcess
    var random: SplitMix64
    private(set) var servers: [RunningServer] = []
    private(set) var kills = 0
    private(set) var killsMidTick = 0
    /// How long the last tick without a kill took.
    private var tickDuration = Duration.milliseconds(100)

    init(bellwether: ProductProcess, random: SplitMix64) {
        self.bellwether = bellwether
        self.random = random
    }

    var server: RunningServer { servers[servers.count - 1] }

    mutating func start(at time: Double) async throws {
        let next = try RunningServer(
            bellwether, token: E2E.adminToken, agentToken: E2E.agentToken, database: servers.first?.database, manualClock: time
        )
        servers.append(next)
        try await next.waitUntilReady()
    }

    /// One tick of the fleet, or, one tick in `killEvery`, a SIGKILL at a random instant of it and
    /// a new server a tick later. The states the tick's pass acknowledged go into `acknowledged`.
    mutating func tick(_ fleet: inout SimulatedFleet, acknowledging id: String, into acknowledged: inout [String]) async throws {
        guard Int.random(in: 0..<ServeChaosTests.killEvery, using: &random) == 0 else {
            let started = ContinuousClock.now
            acknowledge(try await fleet.tick(on: server), id, into: &acknowledged)
            tickDuration = ContinuousClock.now - started
            return
        }
        let server = server
        let ticking = Task { [fleet] in
            var fleet = fleet
            do {
                return (fleet, Result<ClockAdvance, any Error>.success(try await fleet.tick(on: server)))
            } catch {
                return (fleet, .failure(error))
            }
        }
        // Not a synchronisation: the instant of the kill is what the run draws, anywhere from
        // before the tick's first heartbeat to a little after its pass, as long as the last
        // whole tick took on this machine.
        let span = Int(Double(tickDuration.components.attoseconds) / 1e12 + Double(tickDuration.components.seconds) * 1e6)
        try await Task.sleep(for: .microseconds(Int.random(in: 0...(span * 6 / 5), using: &random)))
        server.kill()
        kills += 1
        let (ticked, result) = await ticking.value
        fleet = ticked
        switch result {
        case .success(let advance): acknowledge(advance, id, into: &acknowledged)
        case .failure: killsMidTick += 1
        }
        try await start(at: fleet.now + SimulatedFleet.tickSeconds)
    }

    private func acknowledge(_ advance: ClockAdvance, _ id: String, into acknowledged: inout [String]) {
        if let state = advance.rollouts[id], acknowledged.last != state { acknowledged.append(state) }
    }

    /// A command against the current server; its standard output once it exits 0.
    func cli(_ arguments: [String]) throws -> String {
        let result = try bellwether.run(arguments, environment: ["BELLWETHER_SERVER": server.url, "BELLWETHER_ADMIN_TOKEN": E2E.adminToken])
        guard result.status == 0 else { throw UnexpectedResponse(path: arguments.joined(separator: " "), status: Int(result.status), body: Data(result.stderr.utf8)) }
        return result.stdout
    }

    func auditLog(rollout id: String) async throws -> [AuditEventView] {
        let (status, body) = try await server.request("GET", "/api/v1/rollouts/\(id)/events", token: E2E.adminToken)
        guard status == 200 else { throw UnexpectedResponse(path: "events", status: status, body: body) }
        return try APICoding.decoder().decode([AuditEventView].self, from: body)
    }

    /// Stops the servers, the first last: it owns the database's directory.
    func stopAll() {
        for server in servers.reversed() { server.stop() }
    }
}

private extension String {
    /// The state `rollout pause` or `resume` printed (`ID: halted(step 1): reason`).
    var stateWord: String {
        let parts = components(separatedBy: ": ")
        return parts.count > 1 ? parts[1] : self
    }
}

private extension Array where Element: Equatable {
    /// Whether every element of `self` appears in `other`, in the same order.
    func isSubsequence(of other: [Element]) -> Bool {
        var remaining = other[...]
        for element in self {
            guard let index = remaining.firstIndex(of: element) else { return false }
            remaining = remaining[(index + 1)...]
        }
        return true
    }
}
