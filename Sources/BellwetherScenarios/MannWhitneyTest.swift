import BellwetherCore

/// The Mann–Whitney U (Wilcoxon rank-sum) test that Kayenta's classifier rests on: one-sided,
/// by the normal approximation with midranks, the tie correction of the variance and a
/// continuity correction (as R's `wilcox.test(exact = FALSE)` and SciPy compute it).
public enum MannWhitneyTest {
    /// P-value against "`first` is not stochastically larger than `second`"; 1 when either side
    /// is empty or every value ties.
    public static func upperTailPValue(_ first: [Double], _ second: [Double]) -> Double {
        let n1 = Double(first.count), n2 = Double(second.count)
        guard n1 > 0, n2 > 0 else { return 1 }
        let pooled = (first.map { ($0, true) } + second.map { ($0, false) }).sorted { $0.0 < $1.0 }
        let total = n1 + n2
        var rankSum = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < pooled.count {
            var end = start
            while end + 1 < pooled.count, pooled[end + 1].0 == pooled[start].0 { end += 1 }
            let midrank = Double(start + end) / 2 + 1
            let ties = Double(end - start + 1)
            tieTerm += ties * ties * ties - ties
            rankSum += pooled[start...end].filter(\.1).reduce(0) { sum, _ in sum + midrank }
            start = end + 1
        }
        let u = rankSum - n1 * (n1 + 1) / 2
        let variance = n1 * n2 / 12 * ((total + 1) - tieTerm / (total * (total - 1)))
        guard variance > 0 else { return 1 }
        let z = (u - n1 * n2 / 2 - 0.5) / variance.squareRoot()
        return SpecialFunctions.normalUpperTail(z)
    }
}
