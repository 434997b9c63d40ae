import Testing
import BellwetherCore

/// A fleet of `count` agents with random ids and a `region` label in uneven shares; about 1% of
/// agents carry no region at all. The same seed always builds the same fleet.
private func fleet(count: Int, seed: UInt64) -> [CohortMember] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        let id = "agent-" + String(random.next(), radix: 16)
        let region: String? = switch random.next() % 100 {
        case ..<50: "eu-west"
        case ..<80: "us-east"
        case ..<95: "ap-south"
        case ..<99: "sa-east"
        default: nil
        }
        return CohortMember(id: id, labels: region.map { ["region": $0] } ?? [:])
    }
}

private let agents = fleet(count: 10_000, seed: 0xB311)
private let steps: [Double] = [1, 10, 50, 100]
private let stepsBeforeTheLast = steps.dropLast()
private let plain = CohortAssigner(rolloutID: "rollout-2024-enrichment")
private let byRegion = CohortAssigner(rolloutID: "rollout-2024-enrichment", stratifyBy: "region")

private func strata(_ members: [CohortMember]) -> [String: Set<String>] {
    Dictionary(grouping: members) { $0.labels["region"] ?? "" }.mapValues { Set($0.map(\.id)) }
}

/// Four binomial standard deviations of a count with success probability `p` over `n` trials:
/// a deterministic test (fixed seed) that would fail with probability about 6e-5 on a fresh fleet.
private func fourSigma(n: Int, p: Double) -> Double {
    4 * (Double(n) * p * (1 - p)).squareRoot()
}

@Suite struct CohortAssignmentTests {
    @Test(arguments: [plain, byRegion])
    func canariesAreNestedAcrossSteps(assigner: CohortAssigner) {
        let canaries = steps.map { assigner.split(agents: agents, percent: $0).canary }
        for (smaller, larger) in zip(canaries, canaries.dropFirst()) {
            #expect(smaller.isSubset(of: larger))
        }
        #expect(canaries.last == Set(agents.map(\.id)))
        #expect(assigner.split(agents: agents, percent: 100).baseline.isEmpty)
    }

    @Test(arguments: stepsBeforeTheLast)
    func unstratifiedCanaryAndBaselineSizesAreBinomial(percent: Double) {
        let split = plain.split(agents: agents, percent: percent)
        let p = percent / 100
        #expect(abs(Double(split.canary.count) - Double(agents.count) * p) <= fourSigma(n: agents.count, p: p))
        // Canary and baseline are disjoint cells of one multinomial: Var(canary − baseline) = 2np.
        #expect(abs(Double(split.canary.count - split.baseline.count)) <= 4 * (2 * Double(agents.count) * p).squareRoot())
    }

    @Test(arguments: stepsBeforeTheLast)
    func stratifiedCohortsAreWithinOneAgentOfTheTargetInEveryStratum(percent: Double) {
        let split = byRegion.split(agents: agents, percent: percent)
        for (region, members) in strata(agents) {
            let canary = members.intersection(split.canary).count
            let baseline = members.intersection(split.baseline).count
            #expect(abs(Double(canary) - Double(members.count) * percent / 100) <= 1, "region \(region)")
            #expect(abs(canary - baseline) <= 1, "region \(region)")
        }
    }

    @Test(arguments: [plain, byRegion])
    func theBaselineNeverMeetsACanaryBeforeTheLastStep(assigner: CohortAssigner) {
        let splits = stepsBeforeTheLast.map { assigner.split(agents: agents, percent: $0) }
        for baseline in splits.map(\.baseline) {
            for canary in splits.map(\.canary) {
                #expect(baseline.isDisjoint(with: canary))
            }
        }
    }

    @Test(arguments: [plain, byRegion])
    func aboveHalfTheBaselineIsEveryAgentLeftOnTheStableVersion(assigner: CohortAssigner) {
        let split = assigner.split(agents: agents, percent: 75)
        #expect(split.canary.isDisjoint(with: split.baseline))
        #expect(split.canary.union(split.baseline) == Set(agents.map(\.id)))
        #expect(split.baseline.count < split.canary.count)
    }

    @Test(arguments: stepsBeforeTheLast)
    func unstratifiedCohortsIgnoreAgentsJoiningAndLeaving(percent: Double) {
        let (remaining, churned) = churn(agents)
        #expect(remaining.count == 9_000 && churned.count == 10_000)
        let before = plain.split(agents: agents, percent: percent)
        let after = plain.split(agents: churned, percent: percent)
        #expect(before.canary.intersection(remaining) == after.canary.intersection(remaining))
        #expect(before.baseline.intersection(remaining) == after.baseline.intersection(remaining))
    }

    /// Both cohorts of a stratum are prefixes (or suffixes) of one order that churn does not
    /// reorder, so the agents that stayed in a cohort before and after are nested, and the number
    /// that move is |(k − k′) − leaversInCohort + joinersInCohort|. That is never more than
    /// leavers + joiners + 1 (the 1 is rounding), and since k − k′ is p·(leavers − joiners) ± 1 it
    /// is, statistically, within 4·√((leavers + joiners)·p·(1 − p)) + 1.
    @Test(arguments: stepsBeforeTheLast)
    func stratifiedCohortsMoveAtMostTheChurnOfTheirStratum(percent: Double) {
        let (remaining, churned) = churn(agents)
        let before = byRegion.split(agents: agents, percent: percent)
        let after = byRegion.split(agents: churned, percent: percent)
        let strataAfter = strata(churned)
        for (region, members) in strata(agents) {
            let stayed = members.intersection(remaining)
            let churn = (members.count - stayed.count) + (strataAfter[region, default: []].count - stayed.count)
            let likely = fourSigma(n: churn, p: percent / 100) + 1
            for (old, new) in [(before.canary, after.canary), (before.baseline, after.baseline)] {
                let moved = old.intersection(stayed).symmetricDifference(new.intersection(stayed)).count
                #expect(moved <= churn + 1, "region \(region)")
                #expect(Double(moved) <= likely, "region \(region)")
            }
        }
    }

    @Test func assignmentIsDeterministicAndIgnoresTheOrderAgentsArriveIn() {
        var random = SplitMix64(seed: 3)
        let again = CohortAssigner(rolloutID: "rollout-2024-enrichment", stratifyBy: "region")
        #expect(again.split(agents: agents.shuffled(using: &random), percent: 10) == byRegion.split(agents: agents, percent: 10))
        #expect(again == byRegion)
    }

    @Test func differentRolloutsDrawNearlyIndependentCanaries() {
        let first = plain.split(agents: agents, percent: 10).canary
        let second = CohortAssigner(rolloutID: "rollout-2024-geo").split(agents: agents, percent: 10).canary
        // Independent 10% draws share each agent with probability 1%: 100 of 10,000 expected.
        let overlap = Double(first.intersection(second).count)
        #expect(abs(overlap - 100) <= fourSigma(n: agents.count, p: 0.01))
    }

    @Test(arguments: steps)
    func theFastPathAgreesWithTheSplit(percent: Double) {
        let canary = plain.split(agents: agents, percent: percent).canary
        #expect(agents.allSatisfy { plain.isCanary(agentID: $0.id, percent: percent) == canary.contains($0.id) })
    }

    @Test func aSmallRegionIsWatchedFromTheFirstStep() {
        let tiny = (1...3).map { CohortMember(id: "af-\($0)", labels: ["region": "af-south"]) }
        let split = byRegion.split(agents: agents + tiny, percent: 1)
        let tinyIDs = Set(tiny.map(\.id))
        #expect(split.canary.intersection(tinyIDs).count == 1)
        #expect(split.baseline.intersection(tinyIDs).count == 1)
    }

    @Test func aLoneAgentWaitsForHalfTheFleet() {
        let lone = [CohortMember(id: "solo", labels: ["region": "antarctica"])]
        #expect(byRegion.split(agents: lone, percent: 10) == CohortSplit())
        #expect(byRegion.split(agents: lone, percent: 50).canary == ["solo"])
    }

    @Test func agentsWithoutTheLabelFormTheirOwnStratum() throws {
        let unlabelled = try #require(strata(agents)[""])
        let canary = byRegion.split(agents: agents, percent: 10).canary.intersection(unlabelled)
        #expect(abs(Double(canary.count) - Double(unlabelled.count) / 10) <= 1)
    }
}

/// Removes a random 10% of `members` and adds as many new agents: the ids that stayed, and the new fleet.
private func churn(_ members: [CohortMember]) -> (remaining: Set<String>, fleet: [CohortMember]) {
    var random = SplitMix64(seed: 0xC4_0A2)
    let leaving = members.count / 10
    let stayed = Array(members.shuffled(using: &random).dropFirst(leaving))
    return (Set(stayed.map(\.id)), stayed + fleet(count: leaving, seed: 0x0E_11E0))
}
