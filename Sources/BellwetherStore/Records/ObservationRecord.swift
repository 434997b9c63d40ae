import BellwetherCore
import Foundation
import GRDB

/// A row of `observation`: one agent report kept for the decision engine.
struct ObservationRecord: StoreRecord {
    static let databaseTableName = "observation"

    enum Columns {
        static let agent = Column(CodingKeys.agent)
        static let at = Column(CodingKeys.at)
    }

    /// The metric payload, stored as one JSON document.
    struct Payload: Codable {
        var counters: [String: Double]?
        var spans: [String: SpanCounts]?
        var histograms: [String: HistogramCounts]?
    }

    var id: Int64?
    var agent: String
    var at: Double
    var version: String?
    var data: String

    init(_ observation: AgentObservation) throws {
        agent = observation.agent
        at = observation.time
        version = observation.version
        let payload = Payload(
            counters: observation.counters.isEmpty ? nil : observation.counters,
            spans: observation.spans.isEmpty ? nil : observation.spans,
            histograms: observation.histograms.isEmpty ? nil : observation.histograms
        )
        data = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
    }

    func observation() throws -> AgentObservation {
        let payload = try JSONDecoder().decode(Payload.self, from: Data(data.utf8))
        return AgentObservation(
            agent: agent, time: at, version: version,
            counters: payload.counters ?? [:], spans: payload.spans ?? [:], histograms: payload.histograms ?? [:]
        )
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
