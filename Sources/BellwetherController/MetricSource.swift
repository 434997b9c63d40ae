import BellwetherCore

/// Where the control loop reads agents' telemetry from: the embedded store by default, PromQL at
/// scale. Measuring is kept apart from judging: a source only returns what agents reported, and
/// the decision engine alone decides what it means.
///
/// A source that fails never moves a rollout forward. The controller records the error as the
/// reason its evaluation is missing and tries again at the next boundary; when two boundaries in
/// a row go unread, the step has been blind for a whole interval, which is the policy's `onNoData`.
public protocol MetricSource: Sendable {
    /// The reports of `agents` with `from < time ≤ through` (seconds since the Unix epoch), in
    /// time order, each carrying the version the agent reported it with.
    func observations(agents: Set<String>, from: Double, through: Double) async throws -> [AgentObservation]

    /// The same, for a rollout whose checks read `needs`: the controller always calls this one, so
    /// a source that must name each metric it fetches (Prometheus) knows which. Defaults to the
    /// call above, for sources that hold everything anyway.
    func observations(agents: Set<String>, from: Double, through: Double, needs: MetricNeeds) async throws -> [AgentObservation]

    /// The source a rollout of `policy` reads: the one its `metrics` section names, or this one.
    /// Defaults to this one, for sources that know no other.
    func source(for policy: Policy) -> any MetricSource
}

extension MetricSource {
    public func observations(agents: Set<String>, from: Double, through: Double, needs: MetricNeeds) async throws -> [AgentObservation] {
        try await observations(agents: agents, from: from, through: through)
    }

    public func source(for policy: Policy) -> any MetricSource { self }
}
