import BellwetherAPI
import BellwetherCore
import Foundation
import HummingbirdTesting
import Testing

/// Failing spans become a rollout's evidence, per cohort and `spans` check, as the control loop
/// assigned the agents that sent them; `GET /api/v1/rollouts/{id}/exemplars` shows them.
@Suite struct OTLPExemplarRouteTests {
    static let policy = """
        name: traced
        selector: {labels: {role: collector}}
        steps:
          - {cohort: canary, percent: 10, bake: 15m}
          - {cohort: all, percent: 100}
        analysis:
          checks:
            - name: incomplete-records
              spans: {name: process_data_record, failedWhen: [{attribute: {data.incomplete: true}}]}
              filter: {record.type: invoice}
        """

    /// One span per `(span id, record type, incomplete)` from `agent` running `version`.
    static func traces(agent: String, version: String, _ spans: [(id: Int, type: String, incomplete: Bool)]) -> String {
        let spans = spans.map { span in
            """
            {"traceId": "\(String(format: "%032x", span.id))", "spanId": "\(String(format: "%016x", span.id))", "name": "process_data_record",
             "events": \(span.incomplete ? #"[{"name": "exception", "attributes": [{"key": "exception.type", "value": {"stringValue": "KeyError"}}, {"key": "exception.message", "value": {"stringValue": "'region'"}}]}]"# : "[]"),
             "attributes": [{"key": "record.id", "value": {"stringValue": "rec-\(span.id)"}}, {"key": "record.type", "value": {"stringValue": "\(span.type)"}},
                            {"key": "data.incomplete", "value": {"boolValue": \(span.incomplete)}}]}
            """
        }
        return """
            {"resourceSpans": [{"resource": {"attributes": [{"key": "service.instance.id", "value": {"stringValue": "\(agent)"}},
              {"key": "service.version", "value": {"stringValue": "\(version)"}}]}, "scopeSpans": [{"spans": [\(spans.joined(separator: ","))]}]}]}
            """
    }

    @Test func failingSpansAreKeptForTheCheckTheyFailAndTheCohortOfTheirAgent() async throws {
        let server = try await ServerHarness()
        let views = try await server.test { client in
            let started = try await client.startRollout(policy: Self.policy)
            let id = try started.decode(RolloutView.self).id
            for (agent, version) in [("c1", "2.4.0"), ("b1", "2.3.1"), ("upgrading", "2.3.1"), ("free", "2.4.0")] {
                _ = try await client.heartbeat(agent, version: version)
            }
            try await server.fleet.assign([
                "c1": AgentAssignment(desiredVersion: "2.4.0", rolloutID: id, cohort: "canary"),
                "b1": AgentAssignment(desiredVersion: "2.3.1", rolloutID: id, cohort: "baseline"),
                "upgrading": AgentAssignment(desiredVersion: "2.4.0", rolloutID: id, cohort: "canary"),
            ])
            let sent: [(String, String, [(id: Int, type: String, incomplete: Bool)])] = [
                ("c1", "2.4.0", [(1, "invoice", true), (2, "order", true), (3, "invoice", false)]),
                ("b1", "2.3.1", [(4, "invoice", true)]),
                ("upgrading", "2.3.1", [(5, "invoice", true)]),
                ("free", "2.4.0", [(6, "invoice", true)]),
            ]
            for (agent, version, spans) in sent {
                let response = try await client.otlp("/v1/traces", Array(Self.traces(agent: agent, version: version, spans).utf8), contentType: "application/json")
                #expect(response.status == .ok)
            }
            #expect(try server.store.exemplars(rolloutID: id).isEmpty, "held until the receiver's next flush")
            try server.components.otlp.flush(to: server.store)
            let response = try await client.get("/api/v1/rollouts/\(id)/exemplars")
            #expect(response.status == .ok)
            #expect(try await client.get("/api/v1/rollouts/\(id)/exemplars", .agent).status == .forbidden, "operators only")
            #expect(try await client.get("/api/v1/rollouts/nope/exemplars").status == .notFound)
            return try response.decode([ExemplarView].self)
        }
        #expect(views.map(\.recordID) == ["rec-1", "rec-4"], "order records are filtered out; an agent on the wrong version and one of no rollout lend nothing")
        let canary = try #require(views.first)
        #expect(canary.cohort == "canary" && canary.role == .canary && canary.check == "incomplete-records")
        #expect(canary.agent == "c1" && canary.version == "2.4.0")
        #expect(canary.traceID == String(format: "%032x", 1) && canary.spanID == String(format: "%016x", 1))
        #expect(canary.exceptionType == "KeyError" && canary.exceptionMessage == "'region'")
        #expect(views.last?.role == .baseline)

        let key = #"process_data_record{record.type="invoice"} failedWhen[data.incomplete=true]"#
        let c1 = try server.storedTelemetry().filter { $0.agent == "c1" }
        #expect(c1.first?.spans == ["process_data_record": SpanCounts(total: 3, failed: 2), key: SpanCounts(total: 2, failed: 1)],
                "counted by name with the defaults, and for the check its own way")
    }
}
