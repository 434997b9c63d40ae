/// Where an observation carries the data each check reads, so checks on the same metric or span
/// name with different filters or failure conditions never share (and spoil) one count.
///
/// - A counter or histogram read by a check without a `filter` is the metric's name; with one, it
///   is the metric's series that match the filter, summed, under the name with a Prometheus-style
///   selector: `agent.data.enrichment_failures_total{record.type="special"}` (keys sorted).
/// - A `spans` check with the default conditions and no filter reads the span name's counts;
///   otherwise the counts classified its own way, under
///   `process_data_record{record.type="invoice"} failedWhen[status=error, data.incomplete=true]`.
///
/// The embedded receiver stores both forms for the checks of active rollouts, and a replay file
/// carries filtered data under the same names.
extension Check {
    /// The name this check's data for `metric` is stored under.
    public func metricKey(_ metric: String) -> String {
        Self.selector(metric, filter)
    }

    /// The span counts a `spans` check reads; nil for other kinds.
    public var spanKey: String? {
        guard case .spans(let name, let conditions) = kind else { return nil }
        return Self.spanKey(name: name, failedWhen: conditions, filter: filter)
    }

    public static func spanKey(name: String, failedWhen conditions: [SpanFailureCondition], filter: [String: String]) -> String {
        let base = selector(name, filter)
        guard conditions != SpanFailureCondition.policyDefault else { return base }
        return base + " failedWhen[" + conditions.map(\.description).joined(separator: ", ") + "]"
    }

    /// `name{key="value",…}`, keys sorted; `name` alone for an empty filter.
    public static func selector(_ name: String, _ filter: [String: String]) -> String {
        guard !filter.isEmpty else { return name }
        let pairs = filter.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
        return name + "{" + pairs.joined(separator: ",") + "}"
    }
}

extension SpanFailureCondition: CustomStringConvertible {
    /// What a `spans` check without `failedWhen` counts as failed: status ERROR or a recorded exception.
    public static let policyDefault: [SpanFailureCondition] = [.statusError, .exception]

    public var description: String {
        switch self {
        case .statusError: "status=error"
        case .exception: "exception"
        case .attribute(let key, let value): "\(key)=\(value)"
        }
    }
}
