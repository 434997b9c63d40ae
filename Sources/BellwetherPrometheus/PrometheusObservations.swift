import BellwetherCore

/// Turns the answers of a `PrometheusQuery.plan` into the per-agent observations the embedded
/// source would have produced: one per agent, version and evaluation instant, carrying
/// cumulative counters and histograms (the controller's normaliser takes their increases and
/// detects resets) and span counts as deltas since the previous instant, as the OTLP receiver
/// hands them over.
public enum PrometheusObservations {
    private struct Key: Hashable, Comparable {
        var agent: String
        var version: String?
        var time: Double

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.time, lhs.agent, lhs.version ?? "") < (rhs.time, rhs.agent, rhs.version ?? "")
        }
    }

    private struct SeriesKey: Hashable {
        var agent: String
        var version: String?
    }

    /// The observations in time order. Throws `noSeries` when no query found any series for any
    /// of `agents`: a mislabelled or missing pipeline must not pass for a quiet fleet.
    public static func assemble(
        _ answers: [(query: PrometheusQuery, series: [PrometheusSeries])],
        agents: Set<String>,
        settings: PrometheusSettings
    ) throws(PrometheusError) -> [AgentObservation] {
        var observations: [Key: AgentObservation] = [:]
        func update(_ key: Key, _ change: (inout AgentObservation) -> Void) {
            change(&observations[key, default: AgentObservation(agent: key.agent, time: key.time, version: key.version)])
        }
        var buckets: [String: [SeriesKey: [Double: [(le: Double, value: Double)]]]] = [:]
        var sums: [String: [Key: Double]] = [:]
        var spans: [String: [SeriesKey: [Double: SpanCounts]]] = [:]
        var found = false

        for (query, series) in answers {
            for one in series {
                guard let agent = one.labels[settings.agentLabel], agents.contains(agent) else { continue }
                found = found || !one.points.isEmpty
                let seriesKey = SeriesKey(agent: agent, version: one.labels[settings.versionLabel])
                for point in one.points {
                    let key = Key(agent: agent, version: seriesKey.version, time: point.time)
                    switch query.feeds {
                    case .counter(let name):
                        update(key) { $0.counters[name] = point.value }
                    case .histogramSum(let name):
                        sums[name, default: [:]][key] = point.value
                    case .histogramBuckets(let name):
                        guard let le = one.labels["le"].flatMap(Self.bound) else { continue }
                        buckets[name, default: [:]][seriesKey, default: [:]][point.time, default: []].append((le, point.value))
                    case .spans(let name, let conditions):
                        let failed = failedSpans(one.labels, conditions: conditions)
                        var counts = spans[name, default: [:]][seriesKey, default: [:]][point.time] ?? SpanCounts(total: 0, failed: 0)
                        counts.total += point.value
                        if failed { counts.failed += point.value }
                        spans[name, default: [:]][seriesKey, default: [:]][point.time] = counts
                    }
                }
            }
        }
        guard found else {
            let metrics = answers.map(\.query.feeds).map(Self.metricName)
            throw .noSeries(agents: agents.count, agentLabel: settings.agentLabel, metrics: Array(Set(metrics)).sorted())
        }

        for (name, bySeries) in buckets {
            for (seriesKey, byTime) in bySeries {
                for (time, cumulative) in byTime {
                    let key = Key(agent: seriesKey.agent, version: seriesKey.version, time: time)
                    guard let histogram = histogram(cumulative, sum: sums[name]?[key] ?? 0) else { continue }
                    update(key) { $0.histograms[name] = histogram }
                }
            }
        }
        for (name, bySeries) in spans {
            for (seriesKey, byTime) in bySeries {
                var previous: SpanCounts?
                for time in byTime.keys.sorted() {
                    let now = byTime[time]!
                    defer { previous = now }
                    guard let last = previous else { continue }
                    let key = Key(agent: seriesKey.agent, version: seriesKey.version, time: time)
                    update(key) { $0.spans[name] = increase(from: last, to: now) }
                }
            }
        }
        return observations.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The increase of cumulative span counts; after a reset (either count went down), the new
    /// counts themselves, as `CumulativeNormalizer` takes counters.
    static func increase(from last: SpanCounts, to now: SpanCounts) -> SpanCounts {
        let reset = now.total < last.total || now.failed < last.failed
        return reset ? now : SpanCounts(total: now.total - last.total, failed: now.failed - last.failed)
    }

    /// Whether a spanmetrics series counts failed spans: status ERROR (unless the policy's
    /// conditions leave status out), or a failure attribute the Collector kept as a dimension.
    /// Recorded exceptions cannot be told from spanmetrics; policies relying on them need the
    /// status set as well, as OpenTelemetry's instrumentations do.
    static func failedSpans(_ labels: [String: String], conditions: [SpanFailureCondition]) -> Bool {
        let error = labels["status_code"] == "STATUS_CODE_ERROR"
        if conditions.isEmpty { return error }
        return conditions.contains { condition in
            switch condition {
            case .statusError: error
            case .exception: false
            case .attribute(let key, let value): labels[PrometheusNaming.label(key)] == value.description
            }
        }
    }

    /// OTLP-shaped counts from Prometheus' cumulative `le` buckets; nil without any finite bucket.
    static func histogram(_ cumulative: [(le: Double, value: Double)], sum: Double) -> HistogramCounts? {
        let sorted = cumulative.sorted { $0.le < $1.le }
        let finite = sorted.filter { $0.le.isFinite }
        guard !finite.isEmpty else { return nil }
        let total = sorted.last { !$0.le.isFinite }?.value ?? finite.last!.value
        var counts: [Double] = []
        var below = 0.0
        for bucket in finite {
            counts.append(max(0, bucket.value - below))
            below = max(below, bucket.value)
        }
        counts.append(max(0, total - below))
        return HistogramCounts(bounds: finite.map(\.le), counts: counts, count: total, sum: sum)
    }

    static func bound(_ le: String) -> Double? {
        le == "+Inf" ? .infinity : Double(le)
    }

    static func metricName(_ feeds: PrometheusQuery.Feeds) -> String {
        switch feeds {
        case .counter(let name), .histogramBuckets(let name), .histogramSum(let name): name
        case .spans(let name, _): "spans \(name)"
        }
    }
}
