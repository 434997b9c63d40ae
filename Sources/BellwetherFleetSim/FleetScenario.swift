/// What the version being rolled out does, as `bellwether demo --scenario` and `bellwether sim
/// --scenario` name it, and what the controller is expected to decide about it.
public enum FleetScenario: String, Sendable, Hashable, CaseIterable {
    case silentKiller = "silent-killer"
    case healthy
    case latency
    case throughput
    case crashLoop = "crash-loop"
    case agentCrash = "agent-crash"

    /// The behaviour of the version under test.
    public var behaviour: VersionBehaviour {
        switch self {
        case .silentKiller: .silentKiller
        case .healthy: .healthy
        case .latency: .latencyRegression(factor: 2.5)
        case .throughput: .throughputDrop(factor: 0.4)
        case .crashLoop: .crashLoop(uptime: 20, downtime: 30)
        case .agentCrash: .dies(share: 0.5, after: 60)
        }
    }

    /// Whether a correct controller lets this version reach every agent.
    public var shouldComplete: Bool { self == .healthy }

    /// One sentence for the narration: what is wrong with the version, and how it would show.
    public var story: String {
        switch self {
        case .silentKiller:
            "the new version silently fails enrichment for one kind of record (refunds): no error logged, CPU and memory normal"
        case .healthy: "the new version is as good as the old one"
        case .latency: "the new version processes each record 2.5 times slower"
        case .throughput: "the new version gets through 60% fewer records"
        case .crashLoop: "the new version crashes 10 to 30 seconds after it starts, and is restarted half a minute later"
        case .agentCrash: "the new version kills half of the agents that install it within two minutes, for good; the survivors are healthy"
        }
    }
}
