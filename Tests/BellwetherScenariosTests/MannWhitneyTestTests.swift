import BellwetherScenarios
import Testing

@Suite struct MannWhitneyTestTests {
    /// SciPy: mannwhitneyu([4, 5, 6, 7], [1, 2, 3, 3], alternative="greater", method="asymptotic")
    /// gives U = 16, p = 0.0147005 (normal approximation, tie and continuity corrections).
    @Test func matchesSciPysNormalApproximationWithTies() {
        let p = MannWhitneyTest.upperTailPValue([4, 5, 6, 7], [1, 2, 3, 3])
        #expect(abs(p - 0.0147005) < 1e-6)
    }

    @Test func identicalValuesCarryNoEvidence() {
        #expect(MannWhitneyTest.upperTailPValue([0, 0, 0], [0, 0]) == 1)
    }
}
