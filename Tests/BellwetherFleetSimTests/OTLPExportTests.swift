import BellwetherCore
import Foundation
import BellwetherTelemetry
import Testing
@testable import BellwetherFleetSim

/// What the simulated agents put on the wire is read by the controller's own OTLP receiver as
/// any agent's telemetry: per agent and version, counters, histogram and classified spans.
@Suite struct OTLPExportTests {
    @Test func batchedResourcesAreAttributedToEachAgentByTheReceiver() throws {
        let settings = SimulationSettings(behaviours: ["2.3.1": .silentKiller])
        let start = 1_800_000_000.0
        var models = AgentProfile.fleet(count: 3, seed: 5).map { AgentModel(profile: $0, settings: settings, startTime: start, seed: 5) }
        let reports = models.indices.compactMap { models[$0].report(at: start + 600) }
        #expect(reports.count == 3)

        // The demo policy's trace check: failed on status ERROR, an exception, or data.incomplete=true.
        let check = Check(
            name: "trace-failure-ratio",
            kind: .spans(name: OTLPExport.spanName, failedWhen: [.statusError, .exception, .attribute(key: "data.incomplete", value: .bool(true))])
        )
        let receiver = OTLPReceiver()
        receiver.use(TelemetryChecks(rollouts: [(id: "demo", checks: [check])]))
        let spanKey = try #require(check.spanKey)
        let metrics = try receiver.receiveMetrics(
            Array(OTLPExport.metrics(reports).serializedData()), encoding: .protobuf, coding: .identity, at: start + 600
        )
        let traces = try receiver.receiveTraces(
            Array(try #require(OTLPExport.traces(reports)).serializedData()), encoding: .protobuf, coding: .identity, at: start + 600
        )
        #expect(metrics.summary.rejected == 0 && traces.summary.rejected == 0)
        for report in reports {
            let observed = try #require(metrics.observations.first { $0.agent == report.agent })
            #expect(observed.version == "2.3.1")
            #expect(observed.counters[OTLPExport.recordsMetric] == Double(report.records))
            #expect(observed.counters[OTLPExport.failuresMetric] == Double(report.failures))
            #expect(observed.histograms[OTLPExport.latencyMetric]?.count == Double(report.records))
            let spans = try #require(traces.observations.first { $0.agent == report.agent }?.spans[spanKey])
            #expect(spans.total == Double(report.spans.count))
            #expect(spans.failed == Double(report.spans.filter { $0.outcome != .enriched }.count))
        }
        let exemplars = receiver.exemplars(spanName: OTLPExport.spanName)
        #expect(exemplars.contains { $0.attributes["record.type"] == "refund" && $0.attributes["data.incomplete"] == "true" && $0.statusMessage == nil })
        #expect(exemplars.allSatisfy { $0.attributes["record.id"]?.hasPrefix($0.agent) == true })
    }
}
