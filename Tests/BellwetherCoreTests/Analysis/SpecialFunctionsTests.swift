import Testing
@testable import BellwetherCore

/// Reference values from standard statistical tables (R: qt, qnorm, pbeta).
@Suite struct SpecialFunctionsTests {
    @Test(arguments: [
        (p: 0.01, df: 4.0, t: 3.746947),
        (p: 0.05, df: 10.0, t: 1.812461),
        (p: 0.005, df: 2.0, t: 9.924843),
        (p: 0.01, df: 60.0, t: 2.390119),
    ])
    func studentTQuantilesMatchTables(p: Double, df: Double, t: Double) {
        #expect(abs(SpecialFunctions.studentTUpperQuantile(p, df: df) - t) < 1e-5)
    }

    @Test(arguments: [(p: 0.01, z: 2.326348), (p: 0.05, z: 1.644854), (p: 0.5, z: 0.0), (p: 0.975, z: -1.959964)])
    func normalQuantilesMatchTables(p: Double, z: Double) {
        #expect(abs(SpecialFunctions.normalUpperQuantile(p) - z) < 1e-6)
    }

    @Test func incompleteBetaMatchesClosedForm() {
        // I_x(2, 3) = 6x²(1/2 - 2x/3 + x²/4)·... evaluated by R's pbeta(0.5, 2, 3) = 0.6875.
        #expect(abs(SpecialFunctions.regularizedIncompleteBeta(0.5, a: 2, b: 3) - 0.6875) < 1e-12)
        #expect(abs(SpecialFunctions.regularizedIncompleteBeta(0.2, a: 0.5, b: 0.5) - 0.2951672) < 1e-6)
    }
}
