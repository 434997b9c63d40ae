/// The running totals of one kind of metric (counters or histograms): each series' last point,
/// and each agent's metric total, which only grows (see `MetricAccumulator` for the rules).
///
/// Held by agent, then by metric, then by attributes: a request's points come grouped so, and
/// each point then costs one lookup of its attributes, not of its agent's and metric's names
/// too. A metric's totals are taken out while its points are added and put back once.
struct SeriesTotals<Value: CumulativeValue>: Sendable {
    private struct Last: Sendable {
        var start: UInt64
        var time: UInt64
        var value: Value
    }

    private struct AgentSeries: Sendable {
        /// Each metric's series, by their attributes.
        var series: [String: [SeriesAttributes: Last]] = [:]
        /// How many series `series` holds in all.
        var seriesCount = 0
        /// Totals by metric name, and by `Check.metricKey` for filtered ones.
        var totals: [String: Value] = [:]
    }

    private var agents: [String: AgentSeries] = [:]
    /// Series held for every agent together.
    private(set) var seriesCount = 0

    /// Forgets every series and total of `agents`.
    mutating func remove(agents gone: Set<String>) {
        for agent in gone {
            seriesCount -= agents[agent]?.seriesCount ?? 0
            agents[agent] = nil
        }
    }

    var isEmpty: Bool { agents.isEmpty }

    func seriesCount(agent: String) -> Int {
        agents[agent]?.seriesCount ?? 0
    }

    func total(agent: String, metric: String) -> Value? {
        agents[agent]?.totals[metric]
    }

    /// Adds the points of one metric to `agent`'s total, and those a filter selects to the
    /// filter's total; `value` reads a point, nil when invalid (rejected with `problem`). A point
    /// of a series not yet held is rejected once `seriesLimit.count` new series have been added,
    /// saying whose limit it met. Inserts the names of the totals that changed into `changed`.
    mutating func add<Point: SeriesPoint>(
        _ points: [Point], metric: String, agent: String, cumulative: Bool, filters: [TelemetryChecks.MetricFilter],
        seriesLimit: (count: Int, holder: String) = (.max, ""), value: (Point) -> Value?, problem: String,
        summary: inout IngestSummary, changed: inout Set<String>
    ) {
        var owner = agents.removeValue(forKey: agent) ?? AgentSeries()
        var series = owner.series.removeValue(forKey: metric) ?? [:]
        var total = owner.totals.removeValue(forKey: metric)
        var filtered = filters.map { owner.totals.removeValue(forKey: $0.key) }
        var added = false
        var filterAdded = [Bool](repeating: false, count: filters.count)
        var newSeries = 0
        let held = series.count
        defer {
            owner.seriesCount += series.count - held
            seriesCount += series.count - held
            if let total { owner.totals[metric] = total }
            for (filter, total) in zip(filters, filtered) { if let total { owner.totals[filter.key] = total } }
            if !series.isEmpty { owner.series[metric] = series }
            if !owner.series.isEmpty || !owner.totals.isEmpty { agents[agent] = owner }
        }
        for point in points {
            guard point.flags & 1 == 0 else {
                summary.ignored += 1
                continue
            }
            guard let value = value(point) else {
                summary.reject("\(metric): \(problem)")
                continue
            }
            let key = SeriesAttributes(point.attributes)
            if series[key] == nil {
                guard newSeries < seriesLimit.count else {
                    summary.reject("\(seriesLimit.holder) holds its limit of series; a new series of \(metric) is refused")
                    continue
                }
                newSeries += 1
            }
            guard let increase = Self.increase(&series, key, point: point, value: value, cumulative: cumulative) else {
                summary.ignored += 1
                continue
            }
            Self.add(increase, to: &total)
            added = true
            for index in filters.indices where point.attributes.match(filters[index].filter) {
                Self.add(increase, to: &filtered[index])
                filterAdded[index] = true
            }
            summary.accepted += 1
        }
        if added { changed.insert(metric) }
        for (filter, added) in zip(filters, filterAdded) where added { changed.insert(filter.key) }
    }

    private static func add(_ increase: Value, to total: inout Value?) {
        if total == nil {
            total = increase
        } else {
            total!.add(increase)
        }
    }

    /// The increase a point adds, nil for a resend of a point already counted.
    private static func increase(
        _ series: inout [SeriesAttributes: Last], _ key: SeriesAttributes, point: some SeriesPoint, value: Value, cumulative: Bool
    ) -> Value? {
        let next = Last(start: point.startTimeUnixNano, time: point.timeUnixNano, value: value)
        guard let index = series.index(forKey: key) else {
            series[key] = next
            return value
        }
        let last = series.values[index]
        let sameStart = last.start == point.startTimeUnixNano
        if sameStart, point.timeUnixNano != 0, point.timeUnixNano <= last.time { return nil }
        series.values[index] = next
        guard cumulative, sameStart else { return value }
        return Value.increase(from: last.value, to: value)
    }
}
