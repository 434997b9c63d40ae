import BellwetherStore
import Foundation
import Logging

/// Forgets agents silent for longer than the configured time, so a fleet whose hosts come and
/// go under new ids keeps room under `limits.fleetAgents` and its database does not grow for
/// good. While any rollout is active, agents with an assignment are kept: a silent canary agent
/// must go on counting against the rollout (`canary-lost`), never drop out of its plan.
struct SilentAgentForgetting: Sendable {
    let store: BellwetherStore
    let fleet: FleetRegistry
    let after: Double
    let now: @Sendable () -> Date
    var logger = Logger(label: "bellwether.fleet")

    /// Agents forgotten per turn of the registry: a thousand deletions take milliseconds, so a
    /// heartbeat waits at most that long behind a mass forget of 200,000 agents.
    var batch = 1_000

    /// Returns the ids forgotten.
    @discardableResult
    func forget() async throws -> [String] {
        let keepingAssigned = try !store.activeRollouts().isEmpty
        let cutoff = now().addingTimeInterval(-after)
        var forgotten: [String] = []
        while true {
            let turn = try await fleet.forgetSilent(since: cutoff, keepingAssigned: keepingAssigned, limit: batch)
            forgotten += turn
            // Fewer than a batch: nothing silent is left (an agent kept for a pending write waits
            // for the next minute's run, which the loop must not spin on).
            guard turn.count == batch else { return forgotten }
        }
    }

    func forgetLoggingFailure() async {
        do {
            let forgotten = try await forget()
            if !forgotten.isEmpty { logger.info("forgot \(forgotten.count) agents silent for over \(Int(after)) s") }
        } catch {
            logger.error("forgetting silent agents failed; will retry", metadata: ["error": "\(error)"])
        }
    }
}
