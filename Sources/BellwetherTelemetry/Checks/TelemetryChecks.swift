import BellwetherCore

/// What the checks of the active rollouts need from incoming telemetry, indexed for the hot path:
/// which span names to classify by which `failedWhen` conditions and filters, and which metrics
/// to total again over the series a `filter` selects. Built whenever the active rollouts change;
/// empty, the receiver keeps only what every check without a filter reads (totals by metric and
/// span counts by name under the policies' default conditions).
public struct TelemetryChecks: Sendable, Hashable {
    /// One way of classifying spans of one name, shared by every check that classifies them so.
    public struct SpanRule: Sendable, Hashable {
        /// Where the counts go (`Check.spanKey`).
        public var key: String
        public var classifier: SpanClassifier
        public var filter: [String: String]
        /// The checks (and their rollouts) a span failing this rule is evidence for.
        public var checks: [CheckReference]
    }

    /// A metric's series selected by a filter, totalled under `key` (`Check.metricKey`).
    public struct MetricFilter: Sendable, Hashable {
        public var key: String
        public var filter: [String: String]
    }

    public private(set) var spanRules: [String: [SpanRule]] = [:]
    public private(set) var metricFilters: [String: [MetricFilter]] = [:]

    public init() {}

    /// The rules of every check of `rollouts` (id and checks each).
    public init(rollouts: [(id: String, checks: [Check])]) {
        for (id, checks) in rollouts {
            for check in checks { add(check, rolloutID: id) }
        }
    }

    private mutating func add(_ check: Check, rolloutID: String) {
        switch check.kind {
        case .spans(let name, let conditions):
            let key = Check.spanKey(name: name, failedWhen: conditions, filter: check.filter)
            let reference = CheckReference(rolloutID: rolloutID, check: check.name)
            if let index = spanRules[name]?.firstIndex(where: { $0.key == key }) {
                spanRules[name]![index].checks.append(reference)
            } else {
                spanRules[name, default: []].append(SpanRule(
                    key: key, classifier: SpanClassifier(conditions: conditions), filter: check.filter, checks: [reference]
                ))
            }
        case .ratio(let numerator, let denominator):
            addFilter(check.filter, metric: numerator)
            addFilter(check.filter, metric: denominator)
        case .histogram(let metric, _), .rate(let metric):
            addFilter(check.filter, metric: metric)
        }
    }

    private mutating func addFilter(_ filter: [String: String], metric: String) {
        guard !filter.isEmpty else { return }
        let key = Check.selector(metric, filter)
        guard metricFilters[metric]?.contains(where: { $0.key == key }) != true else { return }
        metricFilters[metric, default: []].append(MetricFilter(key: key, filter: filter))
    }
}

/// One check of one rollout.
public struct CheckReference: Sendable, Hashable {
    public var rolloutID: String
    public var check: String

    public init(rolloutID: String, check: String) {
        self.rolloutID = rolloutID
        self.check = check
    }
}

extension [OTLPKeyValue] {
    /// Whether these attributes carry every key of `filter` with its value, compared as text
    /// (as a policy writes values: `invoice`, `true`, `3`).
    func match(_ filter: [String: String]) -> Bool {
        filter.allSatisfy { key, value in contains { $0.key == key && $0.value.text == value } }
    }
}
