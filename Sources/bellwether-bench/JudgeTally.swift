import Foundation

/// One judge's results over a scenario's streams: how often it alarmed, with the standard error
/// of that share, and the median canary records it had let through when it did.
struct JudgeTally: Sendable {
    var streams = 0
    var alarmRecords: [Int] = []

    mutating func add(_ result: StreamTrial.Result) {
        streams += 1
        if let records = result.alarmRecords { alarmRecords.append(records) }
    }

    var rate: Double { streams > 0 ? Double(alarmRecords.count) / Double(streams) : 0 }

    /// Binomial standard error of `rate`.
    var standardError: Double { streams > 0 ? (rate * (1 - rate) / Double(streams)).squareRoot() : 0 }

    /// Canary records by which half of all the streams had alarmed, a stream that never did
    /// counting as never: the speed of judges that detect at different rates on one scale (the
    /// median over alarmed streams alone flatters a judge that seldom alarms). Nil when fewer
    /// than half alarmed.
    var recordsToHalf: Int? {
        guard streams > 0, alarmRecords.count * 2 >= streams else { return nil }
        return alarmRecords.sorted()[(streams + 1) / 2 - 1]
    }

    var medianRecords: Double? {
        guard !alarmRecords.isEmpty else { return nil }
        let sorted = alarmRecords.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }
}
