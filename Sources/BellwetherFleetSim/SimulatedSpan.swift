/// One traced record, as the agent's tracer ended it: what the OTLP encoder turns into a
/// `process_data_record` span.
public struct SimulatedSpan: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case enriched
        /// Enrichment gave up quietly: `data.incomplete=true`, status unset, nothing logged.
        case incomplete
        /// Enrichment failed with an error the agent logged: status ERROR and an exception event.
        case error(type: String, message: String)
    }

    public var traceID: [UInt8]
    public var spanID: [UInt8]
    public var recordID: String
    public var recordType: String
    /// Seconds since the Unix epoch.
    public var start: Double
    public var duration: Double
    public var outcome: Outcome
}
