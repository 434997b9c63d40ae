import BellwetherAPI
import BellwetherCore
import Foundation
import Testing

/// A fleet of collectors speaking the agent protocol to a real `bellwether serve` on a manual
/// clock, one simulated ten-second tick at a time, so a whole rollout plays out in seconds and
/// nothing in the test ever sleeps.
///
/// Each tick every agent heartbeats the version it runs, processes `recordsPerTick` records
/// (failing enrichment with its version's probability, drawn from a seeded generator), and the
/// fleet posts every agent's cumulative counters in one JSON Lines batch, stamped with the version
/// that did the work; then the clock moves on. An agent told another version installs it
/// `installDelay` ticks later and restarts, so its counters start again from zero, as a real
/// upgrade's do.
struct SimulatedFleet {
    struct Agent: Sendable {
        let id: String
        let labels: [String: String]
        var version: String
        var records = 0
        var failures = 0
        /// The version it was told to run and the tick at whose end it installs it.
        var pending: (version: String, at: Int)?
        /// Every heartbeat answer, in order, across every server the fleet talked to.
        var replies: [HeartbeatReply] = []
    }

    static let regions = ["eu-west", "eu-north", "us-east", "ap-south"]
    static let records = "agent.data.records_processed_total"
    static let failures = "agent.data.enrichment_failures_total"
    static let tickSeconds = 10.0

    private(set) var agents: [Agent]
    /// Controller time: where the last clock advance left it.
    private(set) var now: Double
    private(set) var tickCount = 0
    /// Enrichment failure probability per version; versions not listed never fail.
    var failureRate: [String: Double]
    /// Enough that a 2-minute bake of 20 canary agents at 1% failures sees ~480 failures a cohort:
    /// a healthy canary then passes its bake reliably whichever agents the rollout id puts in it.
    var recordsPerTick = 200
    var installDelay = 1
    let agentToken: String
    let adminToken: String
    private var random: SplitMix64

    init(size: Int, version: String, now: Double, failureRate: [String: Double], agentToken: String, adminToken: String, seed: UInt64) {
        agents = (0..<size).map { index in
            Agent(
                id: "agent-" + String(repeating: "0", count: max(0, 3 - String(index).count)) + String(index),
                labels: ["role": "collector", "region": Self.regions[index % Self.regions.count]],
                version: version
            )
        }
        self.now = now
        self.failureRate = failureRate
        self.agentToken = agentToken
        self.adminToken = adminToken
        random = SplitMix64(seed: seed)
    }

    /// One tick: heartbeats, a tick of work and its observations, installs that are due, then
    /// the controller's clock moves ten seconds and its pass runs. Returns the pass's answer.
    @discardableResult
    mutating func tick(on server: RunningServer) async throws -> ClockAdvance {
        try await heartbeat(on: server)
        try await work(on: server)
        install()
        tickCount += 1
        return try await advanceClock(on: server, by: Self.tickSeconds)
    }

    /// Every agent heartbeats at once, at most `width` requests in flight, and takes in its answer.
    mutating func heartbeat(on server: RunningServer, width: Int = 16) async throws {
        let encoder = APICoding.encoder()
        let requests = try agents.enumerated().map { index, agent in
            (index, try encoder.encode(HeartbeatRequest(id: agent.id, version: agent.version, labels: agent.labels)))
        }
        let token = agentToken
        let replies = try await withThrowingTaskGroup(of: (Int, HeartbeatReply).self) { group in
            var pending = requests.makeIterator()
            func send(_ next: (Int, Data)) {
                group.addTask {
                    let (status, body) = try await server.request("POST", "/api/v1/agents/heartbeat", token: token, body: next.1)
                    guard status == 200 else { throw UnexpectedResponse(path: "heartbeat", status: status, body: body) }
                    return (next.0, try APICoding.decoder().decode(HeartbeatReply.self, from: body))
                }
            }
            for _ in 0..<width { if let next = pending.next() { send(next) } }
            var replies: [(Int, HeartbeatReply)] = []
            while let reply = try await group.next() {
                replies.append(reply)
                if let next = pending.next() { send(next) }
            }
            return replies
        }
        for (index, reply) in replies {
            agents[index].replies.append(reply)
            let desired = reply.desiredVersion
            if desired == agents[index].version {
                agents[index].pending = nil
            } else if agents[index].pending?.version != desired {
                agents[index].pending = (desired, tickCount + installDelay)
            }
        }
    }

    /// A tick of work at each agent's version, posted as one batch of cumulative counters.
    private mutating func work(on server: RunningServer) async throws {
        var lines: [String] = []
        for index in agents.indices {
            let rate = failureRate[agents[index].version] ?? 0
            let failed = (0..<recordsPerTick).count { _ in Double.random(in: 0..<1, using: &random) < rate }
            agents[index].records += recordsPerTick
            agents[index].failures += failed
            let agent = agents[index]
            lines.append(
                #"{"time": \#(now), "agent": "\#(agent.id)", "version": "\#(agent.version)", "# +
                    #""counters": {"\#(Self.records)": \#(agent.records), "\#(Self.failures)": \#(agent.failures)}}"#
            )
        }
        let (status, body) = try await server.request("POST", "/api/v1/observations", token: agentToken, body: Data(lines.joined(separator: "\n").utf8))
        guard status == 202 else { throw UnexpectedResponse(path: "observations", status: status, body: body) }
    }

    private mutating func install() {
        for index in agents.indices {
            guard let pending = agents[index].pending, pending.at <= tickCount else { continue }
            agents[index].version = pending.version
            agents[index].records = 0
            agents[index].failures = 0
            agents[index].pending = nil
        }
    }

    /// `POST /api/v1/clock/advance`: returns once the controller's pass at the new instant is done.
    mutating func advanceClock(on server: RunningServer, by seconds: Double) async throws -> ClockAdvance {
        let (status, body) = try await server.request("POST", "/api/v1/clock/advance", token: adminToken, body: Data(#"{"seconds": \#(seconds)}"#.utf8))
        guard status == 200 else { throw UnexpectedResponse(path: "clock/advance", status: status, body: body) }
        let advance = try JSONDecoder().decode(ClockAdvance.self, from: body)
        now = advance.time
        return advance
    }

    /// Each agent's desired versions as its heartbeats were answered, in order, repeats collapsed.
    var toldVersions: [String: [String]] {
        Dictionary(uniqueKeysWithValues: agents.map { agent in
            (agent.id, agent.replies.map(\.desiredVersion).reduce(into: []) { told, version in
                if told.last != version { told.append(version) }
            })
        })
    }
}

/// The answer of `POST /api/v1/clock/advance`.
extension SimulatedFleet {
    /// Ticks until `done` holds after a tick, at most `limit` ticks; past that, records an issue
    /// with `status()` (the rollout as the command line shows it) and throws.
    mutating func tick(
        on server: RunningServer, limit: Int = 200, status: () throws -> String, until done: (ClockAdvance) async throws -> Bool
    ) async throws {
        for _ in 0..<limit {
            if try await done(tick(on: server)) { return }
        }
        Issue.record("not reached in \(limit) ticks; the rollout stands at:\n\(try status())")
        throw TickLimitReached()
    }
}

struct TickLimitReached: Error {}

struct ClockAdvance: Decodable {
    var time: Double
    /// Every rollout active before the pass, and the state the pass left it in (`progressing(step 2)`).
    var rollouts: [String: String]
}

struct UnexpectedResponse: Error, CustomStringConvertible {
    var path: String
    var status: Int
    var body: Data
    var description: String { "\(path) answered \(status): \(String(decoding: body, as: UTF8.self))" }
}
