import BellwetherScenarios

/// A scenario of the benchmark and the A/A fleet its calibrated reference judges are tuned on.
///
/// The reference judges' error rates depend on the fleet's shape (how many agents, how they
/// differ, how often failures happen, the tolerance), so a fair comparison tunes them on healthy
/// streams of exactly the fleet they are then asked to judge. Entries are made only by `aa` and
/// `ab`, which build that pairing, so a scenario and its matched fleet cannot drift apart.
struct CatalogEntry: Sendable, Hashable {
    let scenario: FleetScenario
    /// The same fleet with no canary effect (an A/A scenario is its own).
    let matchedFleet: FleetScenario

    /// An A/A scenario: healthy canaries of `fleet`, judged by judges tuned on `fleet`.
    static func aa(_ fleet: FleetScenario) -> CatalogEntry {
        CatalogEntry(scenario: fleet, matchedFleet: fleet)
    }

    /// A regression on `fleet` named `name`: every trait of `fleet` but the canary's `effect`.
    static func ab(_ name: String, on fleet: FleetScenario, effect: CanaryEffect) -> CatalogEntry {
        var scenario = fleet
        scenario.name = name
        scenario.effect = effect
        return CatalogEntry(scenario: scenario, matchedFleet: fleet)
    }

    /// Whether the canary is worse than the check tolerates, so that an alarm is a detection; a
    /// canary within tolerance (A/A, or worse by at most the tolerance) makes every alarm false.
    var isRegression: Bool {
        switch scenario.effect {
        case .none: false
        case .multiply(let factor): factor > 1 + scenario.tolerance + 1e-9
        case .specialCase: true
        }
    }
}
