import BellwetherCore
import BellwetherStore
import Foundation
import Logging

/// The fleet in memory: every agent's last heartbeat and assignment, so a heartbeat is answered
/// without touching the database and a fleet of thousands costs a handful of writes a second.
///
/// Heartbeats are kept here at once and written later, in batches: one transaction for all the
/// agents heard since the last flush (latest heartbeat per agent), when the periodic flusher runs,
/// when a batch fills, and on shutdown. A crash loses at most the last flush interval of
/// `lastSeen` updates, which the agents' next heartbeats restore; assignments, which do matter,
/// are written before they are acknowledged.
public actor FleetRegistry {
    private let store: BellwetherStore
    private let batchSize: Int
    /// The most agents the registry takes heartbeats from: past it a new agent id is refused
    /// (agents already known go on), so heartbeats under invented ids cannot grow the controller
    /// and its database without bound.
    public let maxAgents: Int
    private let logger: Logger
    private var members: [String: FleetMember] = [:]
    private var unwritten: [String: PendingHeartbeat] = [:]
    private var loadWaiters: [CheckedContinuation<Void, Never>] = []
    /// True once the agents the database knows have been read: until then the fleet is partial.
    public private(set) var isLoaded = false

    public init(store: BellwetherStore, batchSize: Int = 1_000, maxAgents: Int = 200_000, logger: Logger = Logger(label: "bellwether.fleet")) {
        self.store = store
        self.batchSize = max(batchSize, 1)
        self.maxAgents = max(maxAgents, 1)
        self.logger = logger
    }

    /// Reads the fleet from the database. Agents heard from since startup keep what they reported;
    /// a desired version read back is an assignment without its artifact or rollout, until the
    /// control loop assigns again.
    public func load() throws {
        for known in try store.agents() where members[known.id] == nil {
            members[known.id] = FleetMember(agent: known.agent, assignment: known.desiredVersion.map { AgentAssignment(desiredVersion: $0) })
        }
        isLoaded = true
        for waiter in loadWaiters { waiter.resume() }
        loadWaiters = []
    }

    /// Returns once the fleet is loaded: what the control loop awaits before its first decision,
    /// since cohorts computed from a partial fleet would be wrong.
    public func waitUntilLoaded() async {
        guard !isLoaded else { return }
        await withCheckedContinuation { loadWaiters.append($0) }
    }

    /// Takes a heartbeat and returns the agent as it now stands. Writes only when a batch is full,
    /// and then off the actor, so other agents' heartbeats are answered meanwhile. Refuses an
    /// agent it does not know once it holds `maxAgents`.
    public func heartbeat(_ heartbeat: AgentHeartbeat, at time: Date) async throws(FleetFull) -> FleetMember {
        let previous = members[heartbeat.id]
        if previous == nil, members.count >= maxAgents { throw FleetFull(limit: maxAgents) }
        var member = previous ?? FleetMember(agent: Agent(id: heartbeat.id, version: heartbeat.version, firstSeen: time, lastSeen: time))
        member.agent.version = heartbeat.version
        member.agent.labels = heartbeat.labels
        member.agent.healthy = heartbeat.healthy
        member.agent.lastSeen = max(member.agent.lastSeen, time)
        members[heartbeat.id] = member
        // Most heartbeats only say "still here": those need `lastSeen` written, nothing more.
        let changed = previous.map { $0.agent.version != heartbeat.version || $0.agent.labels != heartbeat.labels || $0.agent.healthy != heartbeat.healthy } ?? true
        unwritten[heartbeat.id] = PendingHeartbeat(heartbeat: heartbeat, at: time, changed: changed || unwritten[heartbeat.id]?.changed == true)
        if unwritten.count >= batchSize {
            await flushLoggingFailure()
        }
        return member
    }

    /// Writes every heartbeat not yet written, in one transaction; returns how many agents it
    /// wrote. The batch is taken out first and written on the database's own queue, so the
    /// registry keeps answering heartbeats during the write; on failure the batch goes back,
    /// except for agents heard from again meanwhile.
    @discardableResult
    public func flush() async throws -> Int {
        guard !unwritten.isEmpty else { return 0 }
        let taken = unwritten
        unwritten.removeAll(keepingCapacity: true)
        let pending = taken.values.sorted { $0.heartbeat.id < $1.heartbeat.id }
        let changed = pending.filter(\.changed).map { (heartbeat: $0.heartbeat, at: $0.at) }
        let touched = pending.filter { !$0.changed }.map { (id: $0.heartbeat.id, at: $0.at) }
        do {
            try await store.recordHeartbeatBatch(changed, touching: touched)
        } catch {
            for (id, entry) in taken where unwritten[id] == nil { unwritten[id] = entry }
            throw error
        }
        return pending.count
    }

    /// For callers that cannot act on a failed write but the operator must hear of it.
    func flushLoggingFailure() async {
        do {
            try await flush()
        } catch {
            logger.error("writing \(unwritten.count) heartbeats failed; will retry", metadata: ["error": "\(error)"])
        }
    }

    /// Sets (or, with nil, clears) what agents should run: written to the database before it is
    /// answered to any agent, all or none. Every agent must have sent a heartbeat.
    public func assign(_ assignments: [String: AgentAssignment?]) async throws {
        let unknown = assignments.keys.filter { members[$0] == nil }.sorted()
        guard unknown.isEmpty else { throw StoreError.unknownAgents(ids: unknown) }
        try await flush()
        try store.setDesiredVersions(assignments.mapValues { $0?.desiredVersion })
        for (id, assignment) in assignments {
            members[id]?.assignment = assignment
        }
    }

    /// Takes in assignments the control loop has already stored: the next heartbeats answer
    /// them. Agents the registry has never heard of are skipped; they get theirs when they appear.
    func take(_ assignments: [String: AgentAssignment?]) {
        for (id, assignment) in assignments where members[id] != nil {
            members[id]?.assignment = assignment
        }
    }

    /// Forgets every agent not heard from since `cutoff`, in memory and in the database, except
    /// agents with an assignment when `keepingAssigned` (while a rollout is active they may be in
    /// its plan); returns the ids forgotten. An agent that beats again later is a new agent.
    ///
    /// At most `limit` agents go per call, so a mass departure (an autoscaling group replaced at
    /// once) is forgotten in short turns of the actor between which heartbeats are answered.
    @discardableResult
    public func forgetSilent(since cutoff: Date, keepingAssigned: Bool, limit: Int = .max) throws -> [String] {
        let silent = members.values.lazy
            .filter { $0.agent.lastSeen < cutoff && self.unwritten[$0.agent.id] == nil }
            .filter { !keepingAssigned || $0.assignment == nil }
            .prefix(limit)
            .map(\.agent.id)
        let forgotten = try store.forgetAgents(ids: Array(silent), silentSince: cutoff)
        for id in forgotten { members[id] = nil }
        return forgotten
    }

    /// Every agent, by id.
    public func snapshot() -> [FleetMember] {
        members.values.sorted { $0.agent.id < $1.agent.id }
    }

    public func member(id: String) -> FleetMember? {
        members[id]
    }
}

/// A heartbeat from a new agent when the registry already holds its limit.
public struct FleetFull: Error, Sendable, Hashable {
    public var limit: Int
}

/// A heartbeat waiting for the next batch write, and whether it says more than "still here".
struct PendingHeartbeat: Sendable {
    var heartbeat: AgentHeartbeat
    var at: Date
    /// New agent, or a new version, labels or health: the whole row is written, not just `lastSeen`.
    var changed: Bool
}
