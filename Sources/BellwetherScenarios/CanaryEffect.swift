/// How the canary version differs from the stable one, as the simulated fleet applies it.
public enum CanaryEffect: Sendable, Hashable {
    /// No difference: an A/A experiment, where every alarm is false.
    case none
    /// Every record's failure probability is multiplied by `factor` (a general regression).
    case multiply(factor: Double)
    /// A bug that fails every record of one special kind. Each agent sees its own share of such
    /// records, drawn uniformly from `shares` (agents serve different data), and on the canary
    /// all of them fail, on top of the ordinary failures.
    case specialCase(shares: ClosedRange<Double>)

    /// Whether there is a regression to find.
    public var isRegression: Bool { self != .none }

    /// A short description for tables and headers.
    public var summary: String {
        switch self {
        case .none: "none"
        case .multiply(let factor): "failure probability ×\(factor.formatted(places: 3))"
        case .specialCase(let shares): "special records \(percent(shares.lowerBound))–\(percent(shares.upperBound)) per agent, all fail on the canary"
        }
    }

    /// The failure probability of one canary record, given the agent's stable-version probability
    /// and its share of special records.
    func canaryProbability(base: Double, specialShare: Double) -> Double {
        switch self {
        case .none: base
        case .multiply(let factor): min(1, base * factor)
        case .specialCase: base + specialShare * (1 - base)
        }
    }

    private func percent(_ share: Double) -> String {
        (share * 100).formatted(places: 3) + "%"
    }
}
