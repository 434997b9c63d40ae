import BellwetherCore
import Foundation
import GRDB

/// One row of `agent`: the fleet as heartbeats describe it, plus the version the controller wants
/// each agent to run. Whether an agent is silent is derived from `lastSeen`, never stored, so it
/// cannot go stale.
struct AgentRecord: StoreRecord, PersistableRecord {
    static let databaseTableName = "agent"

    var id: String
    var version: String
    var labels: [String: String]
    var healthy: Bool
    var firstSeen: Date
    var lastSeen: Date
    var desiredVersion: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let desiredVersion = Column(CodingKeys.desiredVersion)
    }

    init(_ heartbeat: AgentHeartbeat, at time: Date) {
        id = heartbeat.id
        version = heartbeat.version
        labels = heartbeat.labels
        healthy = heartbeat.healthy
        firstSeen = time
        lastSeen = time
        desiredVersion = nil
    }

    /// Inserts a first heartbeat, or refreshes what the agent reports while keeping when it was
    /// first seen and what it was assigned. A heartbeat older than the last one recorded (delivered
    /// late) changes nothing, so the fleet view never moves backwards in time.
    static let upsertSQL = """
        INSERT INTO agent (id, version, labels, healthy, firstSeen, lastSeen, desiredVersion)
        VALUES (:id, :version, :labels, :healthy, :firstSeen, :lastSeen, NULL)
        ON CONFLICT (id) DO UPDATE SET
            version = excluded.version, labels = excluded.labels,
            healthy = excluded.healthy, lastSeen = excluded.lastSeen
        WHERE excluded.lastSeen >= agent.lastSeen
        """

    var knownAgent: KnownAgent {
        KnownAgent(
            agent: Agent(id: id, version: version, labels: labels, healthy: healthy, firstSeen: firstSeen, lastSeen: lastSeen),
            desiredVersion: desiredVersion
        )
    }
}
