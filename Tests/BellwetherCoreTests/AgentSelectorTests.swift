import Testing
@testable import BellwetherCore

@Suite struct AgentSelectorTests {
    @Test func selectorsRequiringDifferentValuesForOneLabelAreDisjoint() {
        let collectors = AgentSelector(labels: ["role": "collector"])
        let workers = AgentSelector(labels: ["role": "worker"])
        #expect(!collectors.mayOverlap(workers))
    }

    @Test func selectorsOnDifferentLabelsMayOverlap() {
        let collectors = AgentSelector(labels: ["role": "collector"])
        let europe = AgentSelector(labels: ["region": "eu"])
        #expect(collectors.mayOverlap(europe))
        #expect(AgentSelector().mayOverlap(collectors))
    }

    @Test func matchesRequiresEveryLabel() {
        let selector = AgentSelector(labels: ["role": "collector", "region": "eu"])
        #expect(selector.matches(["role": "collector", "region": "eu", "rack": "7"]))
        #expect(!selector.matches(["role": "collector"]))
    }
}
