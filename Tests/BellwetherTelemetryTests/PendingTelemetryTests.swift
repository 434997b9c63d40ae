import BellwetherCore
import BellwetherTelemetry
import Testing

/// What the receiver holds between writes: one aggregate per agent and version.
@Suite struct PendingTelemetryTests {
    @Test func requestsOfAnIntervalBecomeOneRowPerAgentAndVersion() {
        var pending = PendingTelemetry()
        pending.add([
            AgentObservation(agent: "a1", time: 10, version: "1", counters: ["records": 10], spans: ["s": SpanCounts(total: 3, failed: 1)]),
            AgentObservation(agent: "a2", time: 10, version: "1", counters: ["records": 5]),
        ], exemplars: [])
        pending.add([AgentObservation(agent: "a1", time: 10.5, version: "1", counters: ["records": 12, "failures": 1], spans: ["s": SpanCounts(total: 2, failed: 0)])], exemplars: [])
        pending.add([AgentObservation(agent: "a1", time: 10.7, version: "2", counters: ["records": 1])], exemplars: [])
        #expect(pending.aggregates == [
            AgentObservation(agent: "a1", time: 10.5, version: "1", counters: ["records": 12, "failures": 1], spans: ["s": SpanCounts(total: 5, failed: 1)]),
            AgentObservation(agent: "a2", time: 10, version: "1", counters: ["records": 5]),
            AgentObservation(agent: "a1", time: 10.7, version: "2", counters: ["records": 1]),
        ], "the latest running totals, the span counts added up, versions apart")
    }

    @Test func whatCouldNotBeStoredComesBackBeforeWhatArrivedSince() throws {
        let receiver = OTLPReceiver()
        receiver.hold([AgentObservation(agent: "a1", time: 1, counters: ["records": 1], spans: ["s": SpanCounts(total: 1, failed: 0)])], exemplars: [])
        let failed = receiver.takePending()
        #expect(receiver.takePending().isEmpty)
        receiver.hold([AgentObservation(agent: "a1", time: 2, counters: ["records": 4], spans: ["s": SpanCounts(total: 2, failed: 1)])], exemplars: [])
        receiver.restorePending(failed)
        #expect(receiver.takePending().aggregates == [
            AgentObservation(agent: "a1", time: 2, counters: ["records": 4], spans: ["s": SpanCounts(total: 3, failed: 1)]),
        ])
    }
}
