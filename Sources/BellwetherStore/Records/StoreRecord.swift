import Foundation
import GRDB

/// What every table's record shares: times are REAL seconds since 1970 in every table, so SQL
/// written by hand (`datetime(at, 'unixepoch')`) reads all of them the same way.
protocol StoreRecord: Codable, FetchableRecord, MutablePersistableRecord {}

extension StoreRecord {
    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }
}
