import Foundation
import GRDB

/// One row of `notification`: the delivery of one audit event to one of its rollout's `notify`
/// targets, with where its retries stand.
struct NotificationRecord: StoreRecord {
    static let databaseTableName = "notification"

    var id: Int64?
    var eventID: Int64
    var target: Int
    var status: NotificationStatus
    var attempts: Int
    var nextAttemptAt: Date
    var lastError: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let status = Column(CodingKeys.status)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
