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

    /// Returns the ids forgotten.
    @discardableResult
    func forget() async throws -> [String] {
        let keepingAssigned = try !store.activeRollouts().isEmpty
        return try await fleet.forgetSilent(since: now().addingTimeInterval(-after), keepingAssigned: keepingAssigned)
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
