/// What the fleet has sent and how much of it failed: the simulator's own account, printed by
/// `bellwether sim` and checked by the load measurement ("without errors").
public struct FleetCounters: Sendable, Hashable {
    public var heartbeats = 0
    public var heartbeatErrors = 0
    public var metricExports = 0
    public var traceExports = 0
    public var exportErrors = 0
    public var spans = 0
    public var lastError: String?

    public init() {}

    public var errors: Int { heartbeatErrors + exportErrors }
}
