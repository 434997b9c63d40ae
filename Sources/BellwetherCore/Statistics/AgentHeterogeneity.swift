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
/// or pickier agents. This type estimates σ² by the method of moments from the per-agent totals
/// of both cohorts (each around its own cohort rate, so a real regression does not inflate it),
/// and turns it into the spread of the agent-sampling factor that `SequentialRateRatioTest`
/// integrates out. The estimate rests on the cohorts' *effective* numbers of agents (Kish:
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
    /// Degrees of freedom of the variance estimate: effective agents minus one, per cohort, summed.
    public let degreesOfFreedom: Double

    /// - Parameters: per-agent totals (events, exposure) of each cohort since the step began.
    public init(canary: [EventCounts], baseline: [EventCounts]) {
        let cohorts = [canary, baseline].map { $0.filter { $0.exposure > 0 } }
        var squaredResiduals = 0.0, poissonPart = 0.0, scale = 0.0
        var concentrations: [Double] = []
        for agents in cohorts {
            let exposure = agents.reduce(0) { $0 + $1.exposure }
            let events = agents.reduce(0) { $0 + $1.events }
            guard exposure > 0 else { concentrations.append(0); continue }
            let weights = agents.map { $0.exposure / exposure }
            let s2 = weights.reduce(0) { $0 + $1 * $1 }
            let s3 = weights.reduce(0) { $0 + $1 * $1 * $1 }
            concentrations.append(s2)
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
        variance = scale > 0 ? max(0, (squaredResiduals - poissonPart) / scale) : 0
        canaryConcentration = concentrations[0]
        baselineConcentration = concentrations[1]
        degreesOfFreedom = concentrations.reduce(0) { $0 + ($1 > 0 ? max(0, 1 / $1 - 1) : 0) }
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
