import Foundation

/// Each agent's own rate before the step, on the stable version: what lets the engine compare
/// every agent with itself instead of with other agents.
///
/// Agents differ several-fold because they see different data, and that difference, not the
/// version, dominates a comparison of a few canary agents with a few baseline agents: the test
/// must allow for it (`AgentHeterogeneity`), so a real regression needs a wide margin to show.
/// Most of that difference is stable over hours, and the controller has watched every agent on
/// the stable version before the step began. Weighing each agent's exposure in the step by its
/// own earlier rate (relative to the fleet's) removes the part of the difference the history
/// explains; what it does not explain (history that was short, or agents whose mix of data
/// changed) is still measured by `AgentHeterogeneity` on the adjusted data, so the test stays
/// honest when the history helps little.
///
/// The multiplier is the empirical-Bayes (gamma–Poisson) estimate of the agent's relative rate:
/// with the fleet's between-agent variance σ² estimated from the history itself, an agent with
/// x events over an exposure that would give e events at the fleet's rate gets (x + 1/σ²) / (e + 1/σ²).
/// An agent with little history is pulled towards 1 (the fleet's rate), one with much history
/// towards its own rate, and with agents that do not differ at all every multiplier is 1 and
/// nothing changes.
public struct AgentHistory: Sendable, Hashable {
    /// Relative rate per agent with history; agents without history count as 1.
    public let multipliers: [String: Double]
    /// The between-agent coefficient of variation the history showed.
    public let variation: Double
    /// Per agent with history, the variance of its true relative rate around its multiplier
    /// under the same model: the gamma posterior's squared coefficient of variation, 1/(x + 1/σ²).
    /// It is what the history leaves unexplained, known before the step from every agent's own
    /// data, so few agents in the step cannot make it look smaller than it is.
    public let residualVariances: [String: Double]

    /// - Parameter totals: each agent's events and exposure before the step, on the stable version.
    public init(totals: [String: EventCounts]) {
        let agents = totals.filter { $0.value.exposure > 0 }
        let pooled = agents.values.reduce(EventCounts(), +)
        let variance = AgentHeterogeneity(canary: Array(agents.values), baseline: []).variance
        variation = variance.squareRoot()
        guard let rate = pooled.rate, rate > 0, variance > 1e-9, agents.count > 1 else {
            multipliers = [:]
            residualVariances = [:]
            return
        }
        let prior = 1 / variance
        multipliers = agents.mapValues { counts in
            (counts.events + prior) / (counts.exposure * rate + prior)
        }
        residualVariances = agents.mapValues { 1 / ($0.events + prior) }
    }

    /// The variance of an agent's true relative rate around its multiplier: what its own history
    /// left unexplained, or the fleet's whole between-agent variance for an agent without history.
    public func residualVariance(for agent: String) -> Double {
        residualVariances[agent] ?? variation * variation
    }

    /// The spread of the canary/baseline log ratio that the history leaves unexplained, given
    /// each agent's (adjusted) totals in the step: Σw²·τ² over both cohorts, w an agent's share
    /// of its cohort's adjusted exposure and τ² its residual variance. 0 when history adjusts
    /// nothing.
    public func residualSpread(canary: [String: EventCounts], baseline: [String: EventCounts]) -> Double {
        guard adjusts else { return 0 }
        func part(_ cohort: [String: EventCounts]) -> Double {
            let exposure = cohort.values.reduce(0) { $0 + $1.exposure }
            guard exposure > 0 else { return 0 }
            return cohort.reduce(0) { sum, entry in
                let share = entry.value.exposure / exposure
                return sum + share * share * residualVariance(for: entry.key)
            }
        }
        return (part(canary) + part(baseline)).squareRoot()
    }

    /// What an agent's exposure is weighed by.
    public func multiplier(for agent: String) -> Double {
        multipliers[agent] ?? 1
    }

    /// Whether any agent's data is weighed differently at all.
    public var adjusts: Bool { !multipliers.isEmpty }
}
