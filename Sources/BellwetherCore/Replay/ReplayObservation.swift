/// One line of a replay stream (see `docs/replay-format.md`): an agent's cumulative counters,
/// delta span counts and cumulative histograms at one instant.
public struct ReplayObservation: Sendable, Hashable {
    public var time: Double
    public var agent: String
    public var cohort: CohortRole
    public var version: String?
    public var counters: [String: Double] = [:]
    public var spans: [String: SpanCounts] = [:]
    public var histograms: [String: HistogramCounts] = [:]

    public init(time: Double, agent: String, cohort: CohortRole, version: String? = nil) {
        self.time = time
        self.agent = agent
        self.cohort = cohort
        self.version = version
    }
}

/// A replay line that is not what the format says, with its 1-based line number.
public struct ReplayFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int?
    public var message: String

    public init(line: Int, column: Int? = nil, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        "line \(line)\(column.map { ", column \($0)" } ?? ""): \(message)"
    }
}
