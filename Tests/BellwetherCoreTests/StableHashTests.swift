import Testing
import BellwetherCore

@Suite struct StableHashTests {
    /// FNV-1a's published test vectors: the hash is the specification's, not this platform's.
    @Test(arguments: [("", 0xCBF2_9CE4_8422_2325 as UInt64), ("a", 0xAF63_DC4C_8601_EC8C), ("foobar", 0x8594_4171_F739_67E8)])
    func fnvStateFollowsTheSpecification(input: String, expected: UInt64) {
        var hash = StableHash()
        hash.combine(input)
        #expect(hash.fnv == expected)
    }

    /// Pinned values: a change here reshuffles the cohorts of every rollout in progress.
    @Test func positionsArePinnedAcrossReleases() {
        let assigner = CohortAssigner(rolloutID: "rollout-1")
        #expect(assigner.position(of: "agent-1") == PinnedPositions.agent1)
        #expect(assigner.position(of: "agent-2") == PinnedPositions.agent2)
    }

    @Test func neighbouringIdsLandFarApart() {
        var first = StableHash()
        first.combine("agent-0017")
        var second = StableHash()
        second.combine("agent-0018")
        #expect(abs(first.unitInterval - second.unitInterval) > 0.01)
        #expect((first.value ^ second.value).nonzeroBitCount > 16)
    }
}

private enum PinnedPositions {
    static let agent1 = 0.39577504231131
    static let agent2 = 0.2461691329294532
}
