import BellwetherAPI
import Foundation

/// Writes what a command shows: JSON for scripts (the API's own shapes, pretty-printed), text for people.
enum Printer {
    static func json(_ value: some Encodable) throws {
        let encoder = APICoding.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Unbuffered, so a script reading the output sees each line as soon as it is printed.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// `2026-11-24 16:00:00Z`: short enough for a table, unambiguous across time zones.
    static func time(_ date: Date) -> String {
        let text = date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        return text.replacingOccurrences(of: "T", with: " ")
    }
}
