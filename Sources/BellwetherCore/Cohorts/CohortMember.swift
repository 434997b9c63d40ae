/// An agent as cohort assignment sees it: its stable id and the labels strata are drawn from.
public struct CohortMember: Sendable, Hashable {
    /// OpenTelemetry's `service.instance.id`, the only input besides the rollout id that decides
    /// where the agent lands.
    public var id: String
    public var labels: [String: String]

    public init(id: String, labels: [String: String] = [:]) {
        self.id = id
        self.labels = labels
    }
}

/// The agents of one step: those on the target version and those watched beside them on the stable one.
public struct CohortSplit: Sendable, Hashable {
    public var canary: Set<String>
    /// Agents kept on the stable version and compared with the canary over the same window;
    /// empty at 100%, where nothing is left to compare with.
    public var baseline: Set<String>

    public init(canary: Set<String> = [], baseline: Set<String> = []) {
        self.canary = canary
        self.baseline = baseline
    }
}
