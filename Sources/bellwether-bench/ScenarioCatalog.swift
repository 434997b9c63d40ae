import BellwetherScenarios

/// The benchmark's named scenarios (docs/decision-benchmark.md has them as a table).
///
/// Common ground, chosen to look like a fleet of data collectors: agents report every 10 s,
/// process 2 records/s on average, and fail 0.2% of records on the stable version; a "typical"
/// fleet spreads traffic with lognormal σ 0.5 and failure rates with σ 0.3, a "heterogeneous"
/// one with σ 1.0 (traffic over two orders of magnitude) and σ 0.7 (failure rates several-fold
/// apart). Streams last 61 minutes so the 60-minute bake is never cut short.
enum ScenarioCatalog {
    static let heterogeneousTraffic = 1.0
    static let heterogeneousFailures = 0.7

    static let all: [FleetScenario] = [
        FleetScenario(name: "aa-identical", canaryAgents: 20, baselineAgents: 20, trafficSigma: 0, failureSigma: 0),
        FleetScenario(name: "aa-heterogeneous", canaryAgents: 20, baselineAgents: 20, trafficSigma: heterogeneousTraffic, failureSigma: heterogeneousFailures),
        FleetScenario(name: "aa-small-cohorts", canaryAgents: 3, baselineAgents: 3, trafficSigma: heterogeneousTraffic, failureSigma: heterogeneousFailures),
        FleetScenario(name: "aa-unbalanced", canaryAgents: 4, baselineAgents: 60),
        FleetScenario(name: "aa-restarts", canaryAgents: 20, baselineAgents: 20, restartsPerHour: 2),
        FleetScenario(name: "aa-dropouts", canaryAgents: 20, baselineAgents: 20, dropoutShare: 0.25),
        FleetScenario(name: "ab-10x", canaryAgents: 10, baselineAgents: 40, effect: .multiply(factor: 10)),
        // The silent killer on a rare record kind: 0.02% → 0.2%. The oracle needs ~1,600 canary
        // records, several 30 s looks' worth, so the comparison is not one of look cadence.
        FleetScenario(name: "ab-10x-rare", canaryAgents: 10, baselineAgents: 40, baseFailureRate: 0.0002, effect: .multiply(factor: 10)),
        FleetScenario(name: "ab-10x-heterogeneous", canaryAgents: 10, baselineAgents: 40, trafficSigma: heterogeneousTraffic, failureSigma: heterogeneousFailures, effect: .multiply(factor: 10)),
        FleetScenario(name: "ab-2x", canaryAgents: 10, baselineAgents: 40, effect: .multiply(factor: 2)),
        FleetScenario(name: "ab-1.5x", canaryAgents: 10, baselineAgents: 40, effect: .multiply(factor: 1.5)),
        FleetScenario(name: "ab-special-case", canaryAgents: 10, baselineAgents: 40, effect: .specialCase(shares: 0.005...0.05)),
        FleetScenario(name: "ab-dropouts", canaryAgents: 10, baselineAgents: 40, effect: .multiply(factor: 2), dropoutShare: 0.25),
    ]
}
