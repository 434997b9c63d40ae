/// The running totals of one kind of metric (counters or histograms): each series' last point,
/// and each agent's metric total, which only grows (see `MetricAccumulator` for the rules).
struct SeriesTotals<Value: CumulativeValue>: Sendable {
    private struct Last: Sendable {
        var start: UInt64
        var time: UInt64
        var value: Value
    }

    private var series: [SeriesKey: Last] = [:]
    private var totals: [AgentMetric: Value] = [:]

    /// Forgets every series and total of `agents`.
    mutating func remove(agents: Set<String>) {
        guard !agents.isEmpty else { return }
        series = series.filter { !agents.contains($0.key.agent) }
        totals = totals.filter { !agents.contains($0.key.agent) }
    }

    var isEmpty: Bool { series.isEmpty && totals.isEmpty }

    func total(agent: String, metric: String) -> Value? {
        totals[AgentMetric(agent: agent, metric: metric)]
    }

    /// Adds the points of one metric to `agent`'s total, and those a filter selects to the
    /// filter's total; `value` reads a point, nil when invalid (rejected with `problem`). Inserts
    /// the names of the totals that changed into `changed`.
    mutating func add<Point: SeriesPoint>(
        _ points: [Point], metric: String, agent: String, cumulative: Bool, filters: [TelemetryChecks.MetricFilter],
        value: (Point) -> Value?, problem: String, summary: inout IngestSummary, changed: inout Set<String>
    ) {
        for point in points {
            guard point.flags & 1 == 0 else {
                summary.ignored += 1
                continue
            }
            guard let value = value(point) else {
                summary.reject("\(metric): \(problem)")
                continue
            }
            let key = SeriesKey(agent: agent, metric: metric, attributes: point.attributes)
            guard let increase = increase(key, point: point, value: value, cumulative: cumulative) else {
                summary.ignored += 1
                continue
            }
            addToTotal(increase, agent: agent, name: metric, changed: &changed)
            for filter in filters where point.attributes.match(filter.filter) {
                addToTotal(increase, agent: agent, name: filter.key, changed: &changed)
            }
            summary.accepted += 1
        }
    }

    private mutating func addToTotal(_ increase: Value, agent: String, name: String, changed: inout Set<String>) {
        let total = AgentMetric(agent: agent, metric: name)
        totals[total] = totals[total].map { $0.adding(increase) } ?? increase
        changed.insert(name)
    }

    /// The increase a point adds, nil for a resend of a point already counted.
    private mutating func increase(_ key: SeriesKey, point: some SeriesPoint, value: Value, cumulative: Bool) -> Value? {
        let last = series[key]
        let sameStart = last?.start == point.startTimeUnixNano
        if let last, sameStart, point.timeUnixNano != 0, point.timeUnixNano <= last.time { return nil }
        series[key] = Last(start: point.startTimeUnixNano, time: point.timeUnixNano, value: value)
        guard cumulative, let last, sameStart else { return value }
        return Value.increase(from: last.value, to: value)
    }
}
