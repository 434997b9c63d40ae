import BellwetherCore

/// Seeds of every stream the benchmark simulates, each a function of the run's seed, a
/// scenario's place in the catalogue and the stream's number only, so that figures do not
/// depend on the number of cores or on which scenarios `--only` selects.
///
/// Calibration streams come from a domain of their own, so the streams a reference judge is
/// tuned on are never the streams it is then scored on: tuning and scoring on the same draws
/// would report the budget the tuning forced rather than the rate the judge keeps.
enum StreamSeeds {
    /// Separates calibration seeds from evaluation seeds (any constant not 0 will do).
    private static let calibrationDomain: UInt64 = 0xCA11_B8A7_E000_0001
    /// Separates the streams tuned with the canary at the tolerated ratio.
    private static let toleratedDomain: UInt64 = 0x7011_E8A7_ED00_0002

    static func evaluation(_ seed: UInt64, scenario: Int, stream: Int) -> UInt64 {
        mixed(SplitMix64.mix(seed), scenario: scenario, stream: stream)
    }

    static func calibration(_ seed: UInt64, fleet: Int, stream: Int, atTolerance: Bool = false) -> UInt64 {
        mixed(SplitMix64.mix(seed ^ calibrationDomain ^ (atTolerance ? toleratedDomain : 0)), scenario: fleet, stream: stream)
    }

    private static func mixed(_ base: UInt64, scenario: Int, stream: Int) -> UInt64 {
        SplitMix64.mix(base &+ UInt64(scenario) << 32 &+ UInt64(stream))
    }
}
