import BellwetherCore
import BellwetherStore
import Foundation

extension RolloutController {
    /// Stores the desired versions that changed, then tells the sink every assignment that changed
    /// since it was last told: the store first, because it is what a restarted controller and the
    /// agent-facing side trust. Returns how many assignments the sink received.
    func deliver(_ assignments: [String: AgentAssignment], fleet: [KnownAgent]) async throws -> Int {
        let stored = Dictionary(uniqueKeysWithValues: fleet.map { ($0.id, $0.desiredVersion) })
        let changedVersions = assignments
            .filter { id, assignment in stored[id].map { $0 != assignment.desiredVersion } ?? false }
            .mapValues(\.desiredVersion)
        try store.setDesiredVersions(changedVersions)
        let news = assignments.filter { announced[$0.key] != $0.value }
        guard !news.isEmpty else { return 0 }
        await sink.assign(news)
        announced.merge(news) { _, new in new }
        return news.count
    }

    /// Lets go of the agents of rollouts this controller drove that have finished since its last
    /// pass (an operator aborted one, another controller completed one).
    func releaseFinished(except active: Set<String>, fleet: [KnownAgent]) throws -> [String: AgentAssignment] {
        var releases: [String: AgentAssignment] = [:]
        for id in owned.subtracting(active).sorted() {
            let rollout = try store.rollout(id: id)
            let plan = CohortPlan(rollout: rollout, fleet: fleet, now: clock.now, silentAfter: configuration.silentAfter)
            releases.merge(plan.releases) { _, release in release }
            owned.remove(id)
        }
        return releases
    }
}
