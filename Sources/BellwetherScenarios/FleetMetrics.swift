/// The business counters simulated agents export, named as the design's instrumentation names them.
public enum FleetMetrics {
    public static let records = "agent.data.records_processed_total"
    public static let failures = "agent.data.enrichment_failures_total"
}
