/// What became of the data points (or spans) of one export request, for the OTLP response and
/// the controller's own metrics.
public struct IngestSummary: Sendable, Hashable {
    /// Used for some agent's observation.
    public var accepted = 0
    /// Invalid (a negative counter, histogram buckets that do not match their bounds, an
    /// unspecified temporality): reported to the exporter as rejected in `partial_success`.
    public var rejected = 0
    /// Valid but not used: gauges, non-monotonic sums, exponential histograms and summaries,
    /// points without a recorded value, and repeats of a point already received.
    public var ignored = 0
    /// From a resource with no agent identity: accepted and counted, used for nothing.
    public var unattributed = 0
    /// The first few reasons for rejections, for the response's `error_message`.
    public private(set) var problems: [String] = []

    private static let problemsKept = 5
    private static let problemLength = 200

    public init() {}

    /// Problems name client-chosen metric names: each is cut short so a hostile name cannot
    /// swell the response.
    mutating func reject(_ problem: String, count: Int = 1) {
        rejected += count
        let problem = problem.count <= Self.problemLength ? problem : String(problem.prefix(Self.problemLength)) + "…"
        if problems.count < Self.problemsKept, !problems.contains(problem) { problems.append(problem) }
    }

    /// The `error_message` of a partial success: the rejections' reasons, and a warning about
    /// unattributed data (with zero rejected, a message is a warning in OTLP).
    public func message(unit: String, attribution: AgentAttribution) -> String {
        var parts = problems
        if unattributed > 0 {
            let attributes = [AgentAttribution.instanceAttribute] + (attribution.fallbackAttribute.map { [$0] } ?? [])
            parts.append(
                "\(unattributed) \(unit) came from resources without \(attributes.joined(separator: " or ")) and count for no agent"
            )
        }
        return parts.joined(separator: "; ")
    }
}
