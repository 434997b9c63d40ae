import ArgumentParser

/// Which scenarios a run covers. A statistic is judged on scenarios it was not tuned on, so the
/// catalogue keeps the two apart: the tuning set the engine's settings were chosen on, and the
/// reporting set its figures are stated on.
enum ScenarioSet: String, ExpressibleByArgument, CaseIterable, Sendable {
    case tuning, reporting, all

    func contains(_ name: String) -> Bool {
        switch self {
        case .all: true
        case .reporting: ScenarioCatalog.reportingSet.contains(name)
        case .tuning: !ScenarioCatalog.reportingSet.contains(name)
        }
    }
}
