import BellwetherCore
import Foundation
import GRDB

/// A row of `exemplar`: one failing span kept as evidence for a rollout's check and cohort.
struct ExemplarRecord: StoreRecord {
    static let databaseTableName = "exemplar"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let rolloutID = Column(CodingKeys.rolloutID)
    }

    var id: Int64?
    var rolloutID: String
    var cohort: String
    var checkName: String
    var agent: String
    var receivedAt: Double
    var span: FailingSpanExemplar

    init(_ exemplar: RolloutExemplar) {
        rolloutID = exemplar.rolloutID
        cohort = exemplar.cohort
        checkName = exemplar.check
        agent = exemplar.span.agent
        receivedAt = exemplar.receivedAt
        span = exemplar.span
    }

    var exemplar: RolloutExemplar {
        RolloutExemplar(rolloutID: rolloutID, cohort: cohort, check: checkName, receivedAt: receivedAt, span: span)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Deletes a group's rows but the first of each of its first `first` agents and its latest `latest`.
    static let trimSQL = """
        DELETE FROM exemplar WHERE rolloutID = :rolloutID AND cohort = :cohort AND checkName = :checkName
        AND id NOT IN (
            SELECT min(id) FROM exemplar WHERE rolloutID = :rolloutID AND cohort = :cohort AND checkName = :checkName
            GROUP BY agent ORDER BY min(id) LIMIT :first)
        AND id NOT IN (
            SELECT id FROM exemplar WHERE rolloutID = :rolloutID AND cohort = :cohort AND checkName = :checkName
            ORDER BY id DESC LIMIT :latest)
        """
}
