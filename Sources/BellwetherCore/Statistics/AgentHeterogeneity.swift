import Foundation

/// How much agents differ from one another beyond chance, and the spread that difference
/// demands of any canary-versus-baseline comparison.
///
/// Agents see different data, so their true rates differ: agent i's events are Poisson with mean
/// μᵢ·θᵢ where θᵢ has mean 1 and variance σ² (σ is the between-agent coefficient of variation).
/// The canary and baseline are different agents, so even with identical versions their pooled
/// rates differ by a factor whose log has variance σ²·(Σw²_canary + Σw²_baseline), wᵢ being each
/// agent's share of its cohort's exposure. That difference does not shrink as records accumulate;
/// a test that ignores it rolls back healthy versions whenever the canary happens to hold busier
/// or pickier agents. This type estimates σ² by the method of moments from per-agent totals
/// (each cohort around its own rate) and turns it into the spread of the agent-sampling factor
/// that `SequentialRateRatioTest` integrates out; `init(estimatingFrom:canary:baseline:)` takes
/// σ² from chosen cohorts only (the baseline alone was measured, and not adopted: see
/// docs/decision-engine.md §3). The estimate rests on the cohorts' *effective* numbers of agents (Kish:
/// 1/Σw², so one agent carrying most of the traffic counts as about one), and an upper
/// confidence bound of it is used, so a few agents that happen to look alike are not taken for a
/// homogeneous fleet: with three agents a side the spread is wide; with sixty it is tight.
public struct AgentHeterogeneity: Sendable, Hashable {
    /// Estimated squared coefficient of variation of per-agent rates (≥ 0).
    public let variance: Double
    /// The moment equation behind it: Σ squared residuals = Poisson part + σ²·scale in expectation.
    let squaredResiduals: Double
    let poissonPart: Double
    let scale: Double
    /// Σw² of each cohort: the reciprocal of its effective number of agents.
    public let canaryConcentration: Double
    public let baselineConcentration: Double
    /// Degrees of freedom of the variance estimate: effective agents minus one, per reference
    /// cohort, summed.
    public let degreesOfFreedom: Double

    /// σ² estimated from both cohorts: for data the new version cannot have touched (an agent
    /// history before the step, or two cohorts on the same version).
    ///
    /// - Parameters: per-agent totals (events, exposure) of each cohort.
    public init(canary: [EventCounts], baseline: [EventCounts]) {
        self.init(estimatingFrom: [canary, baseline], canary: canary, baseline: baseline)
    }

    /// σ² estimated from the `reference` cohorts only, and turned into the spread of a
    /// comparison between `canary` and `baseline`.
    ///
    /// A comparison of a new version must take its nuisance from data the new version cannot
    /// touch: a regression whose size differs by agent (a bug that hits one kind of record, and
    /// agents see different shares of that kind) makes the canary's agents differ more, and a
    /// spread estimated from them would grow with the very regression it is meant to judge, until
    /// the evidence saturates. Canary and baseline agents are assigned by hash, so under the null
    /// the baseline's agents show the canary's spread too.
    ///
    /// - Parameters:
    ///   - reference: the cohorts σ² is estimated from, each around its own pooled rate.
    ///   - canary / baseline: the compared cohorts, whose concentrations (Σw²) scale σ² into the
    ///     spread of their log ratio; an empty baseline is a known reference with no agent draw.
    public init(estimatingFrom reference: [[EventCounts]], canary: [EventCounts], baseline: [EventCounts]) {
        var squaredResiduals = 0.0, poissonPart = 0.0, scale = 0.0, degreesOfFreedom = 0.0
        for agents in reference.map({ $0.filter { $0.exposure > 0 } }) {
            let exposure = agents.reduce(0) { $0 + $1.exposure }
            let events = agents.reduce(0) { $0 + $1.events }
            guard exposure > 0 else { continue }
            let weights = agents.map { $0.exposure / exposure }
            let s2 = weights.reduce(0) { $0 + $1 * $1 }
            let s3 = weights.reduce(0) { $0 + $1 * $1 * $1 }
            degreesOfFreedom += max(0, 1 / s2 - 1)
            guard agents.count > 1 else { continue }
            // E[Σ(xᵢ - wᵢX)²] = M(1 - S2) + σ²·M²(S2 - 2·S3 + S2²), M the cohort's expected events.
            let squares = zip(agents, weights).reduce(0.0) { sum, pair in
                let residual = pair.0.events - pair.1 * events
                return sum + residual * residual
            }
            squaredResiduals += squares
            poissonPart += events * (1 - s2)
            scale += events * events * (s2 - 2 * s3 + s2 * s2)
        }
        self.squaredResiduals = squaredResiduals
        self.poissonPart = poissonPart
        self.scale = scale
        self.degreesOfFreedom = degreesOfFreedom
        variance = scale > 0 ? max(0, (squaredResiduals - poissonPart) / scale) : 0
        canaryConcentration = Self.concentration(canary)
        baselineConcentration = Self.concentration(baseline)
    }

    /// Σw² of a cohort's exposure shares: the reciprocal of its effective number of agents.
    static func concentration(_ agents: [EventCounts]) -> Double {
        let exposure = agents.reduce(0) { $0 + max($1.exposure, 0) }
        guard exposure > 0 else { return 0 }
        return agents.reduce(0) { sum, agent in
            let share = max(agent.exposure, 0) / exposure
            return sum + share * share
        }
    }

    /// Standard deviation of the log ratio that comes from which agents landed in which cohort,
    /// at the point estimate of the variance.
    public var standardError: Double {
        (variance * (canaryConcentration + baselineConcentration)).squareRoot()
    }

    /// The spread to integrate out: the agent-sampling standard error at an upper `confidence`
    /// bound of σ², found by inverting the moment equation with the squared residuals read as
    /// scaled χ² on the effective degrees of freedom (quantile by Wilson–Hilferty). Unlike a
    /// multiple of the point estimate, this bound stays above zero when a few agents happen to
    /// look alike, and shrinks towards the estimate as agents and events accumulate. Infinite
    /// when the agents cannot support an estimate at all (less than one effective degree of
    /// freedom).
    public func spread(confidence: Double = 0.2) -> Double {
        guard scale > 0 else { return 0 }
        guard degreesOfFreedom >= 1 else { return .infinity }
        let df = degreesOfFreedom
        let z = SpecialFunctions.normalUpperQuantile(confidence)
        let cube = 1 - 2 / (9 * df) - z * (2 / (9 * df)).squareRoot()
        let lowerChiSquare = df * pow(max(cube, 1e-3), 3)
        let upperVariance = max(0, (squaredResiduals * df / lowerChiSquare - poissonPart) / scale)
        return (upperVariance * (canaryConcentration + baselineConcentration)).squareRoot()
    }
}
