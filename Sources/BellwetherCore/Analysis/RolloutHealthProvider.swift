/// Where the health endpoint and the dashboard get a rollout's latest judgement from, without
/// knowing whether it comes from the live controller or straight from the store.
public protocol RolloutHealthProvider: Sendable {
    /// The most recent evaluation of the rollout's current or last analysed step; `nil` before
    /// the first analysis-interval boundary.
    func latestEvaluation(rolloutID: String) async throws -> RolloutEvaluation?
}
