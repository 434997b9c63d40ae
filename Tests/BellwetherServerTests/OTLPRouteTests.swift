import BellwetherCore
import BellwetherTelemetry
import BellwetherTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwiftProtobuf
import Testing

/// `POST /v1/metrics` and `POST /v1/traces`: OTLP/HTTP as exporters speak it, answered as the
/// specification says, with what agents report stored as observations.
@Suite struct OTLPRouteTests {
    static let records = "agent.data.records_processed_total"

    static func metrics(agent: String?, _ value: Double) -> OTLPExportMetricsServiceRequest {
        OTLPExportMetricsServiceRequest.with {
            $0.resourceMetrics = [OTLPResourceMetrics.with {
                if let agent {
                    $0.resource.attributes = [
                        OTLPKeyValue.with { $0.key = "service.instance.id"; $0.value.stringValue = agent },
                        OTLPKeyValue.with { $0.key = "service.version"; $0.value.stringValue = "2.4.0" },
                    ]
                }
                $0.scopeMetrics = [OTLPScopeMetrics.with {
                    $0.metrics = [OTLPMetric.with {
                        $0.name = records
                        $0.sum.isMonotonic = true
                        $0.sum.aggregationTemporality = .cumulative
                        $0.sum.dataPoints = [OTLPNumberDataPoint.with {
                            $0.startTimeUnixNano = 1
                            $0.timeUnixNano = 2
                            $0.asDouble = value
                        }]
                    }]
                }]
            }]
        }
    }

    static let failingSpanJSON = """
        {"resourceSpans": [{"resource": {"attributes": [{"key": "service.instance.id", "value": {"stringValue": "a1"}}]},
          "scopeSpans": [{"spans": [
            {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "process_data_record",
             "status": {"code": 2, "message": "enrichment failed"},
             "attributes": [{"key": "data.incomplete", "value": {"boolValue": true}}, {"key": "record.id", "value": {"stringValue": "r-1"}}]},
            {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b175", "name": "process_data_record"}]}]}]}
        """

    @Test func protobufMetricsAreStoredAndAnsweredWithAnEmptyProtobufResponse() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.otlp("/v1/metrics", try Self.metrics(agent: "a1", 42).serializedBytes())
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-protobuf")
            #expect(try OTLPExportMetricsServiceResponse(serializedBytes: Array(response.body.readableBytesView)) == OTLPExportMetricsServiceResponse())
        }
        let stored = try server.storedTelemetry()
        #expect(stored == [AgentObservation(agent: "a1", time: ServerHarness.t0.timeIntervalSince1970, version: "2.4.0", counters: [Self.records: 42])])
    }

    @Test func gzippedJSONTracesAreCountedAndAnsweredInJSON() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let body = Compression.compress(Array(Self.failingSpanJSON.utf8), .gzip)
            let response = try await client.otlp("/v1/traces", body, contentType: "application/json", contentEncoding: "gzip")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.text == "{}")
        }
        let stored = try server.storedTelemetry()
        #expect(stored.first?.spans == ["process_data_record": SpanCounts(total: 2, failed: 1)])
        let exemplar = try #require(server.components.otlp.exemplars(spanName: "process_data_record").first)
        #expect(exemplar.traceID == "5b8efff798038103d269b633813fc60c")
        #expect(exemplar.spanID == "eee19b7ec3c1b174")
        #expect(exemplar.attributes["record.id"] == "r-1")
    }

    @Test func unattributedDataIsAcceptedWithAWarningAndStoresNothing() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.otlp("/v1/metrics", try Self.metrics(agent: nil, 1).jsonUTF8Bytes(), contentType: "application/json")
            #expect(response.status == .ok)
            let answer = try OTLPExportMetricsServiceResponse(jsonUTF8Bytes: Array(response.body.readableBytesView))
            #expect(answer.partialSuccess.rejectedDataPoints == 0)
            #expect(answer.partialSuccess.errorMessage.contains("without service.instance.id"))
        }
        #expect(try server.storedTelemetry().isEmpty)
    }

    @Test func rejectedPointsAreReportedAsAPartialSuccess() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let response = try await client.otlp("/v1/metrics", try Self.metrics(agent: "a1", -5).serializedBytes())
            #expect(response.status == .ok)
            let answer = try OTLPExportMetricsServiceResponse(serializedBytes: Array(response.body.readableBytesView))
            #expect(answer.partialSuccess.rejectedDataPoints == 1)
            #expect(answer.partialSuccess.errorMessage.contains("a monotonic sum must be a number from 0 to 2^53"))
        }
    }

    @Test func refusalsCarryAGoogleRPCStatusInTheRequestsEncoding() async throws {
        let server = try await ServerHarness { $0.otlp.bodyLimit = 1_000 }
        try await server.test { client in
            let malformed = try await client.otlp("/v1/metrics", [0x0A, 0xFF, 0xFF, 0x0F])
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType] == "application/x-protobuf")
            let status = try RPCStatus(serializedBytes: Array(malformed.body.readableBytesView))
            #expect(status.code == 3)
            #expect(status.message.contains("truncated"))

            let json = try await client.otlp("/v1/traces", Array("{".utf8), contentType: "application/json")
            #expect(json.status == .badRequest)
            #expect(try RPCStatus(jsonUTF8Bytes: Array(json.body.readableBytesView)).code == 3)

            let tooLarge = try await client.otlp("/v1/metrics", Compression.compress([UInt8](repeating: 0, count: 100_000), .gzip), contentEncoding: "gzip")
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try await client.otlp("/v1/metrics", [UInt8](repeating: 0, count: 1_001)).status == .contentTooLarge)

            #expect(try await client.otlp("/v1/metrics", [], contentType: "text/plain").status == .unsupportedMediaType)
            #expect(try await client.otlp("/v1/metrics", [], contentEncoding: "br").status == .unsupportedMediaType)

            let unauthorized = try await client.otlp("/v1/metrics", [], token: .none)
            #expect(unauthorized.status == .unauthorized)
            #expect(try RPCStatus(serializedBytes: Array(unauthorized.body.readableBytesView)).code == 16)
        }
    }

    @Test func anEmptyRequestSucceeds() async throws {
        let server = try await ServerHarness()
        try await server.test { client in
            let emptyProtobuf = try await client.otlp("/v1/metrics", [])
            let emptyBody = try await client.otlp("/v1/traces", [], contentType: "application/json")
            let emptyJSON = try await client.otlp("/v1/traces", Array("{}".utf8), contentType: "application/json")
            #expect(emptyProtobuf.status == .ok)
            #expect(emptyBody.status == .badRequest, "an empty body is not JSON")
            #expect(emptyJSON.status == .ok)
        }
    }

    @Test func anOverloadedReceiverAnswersARetryable429WithRetryAfter() async throws {
        let server = try await ServerHarness()
        let body = try Self.metrics(agent: "a1", 42).serializedBytes() as [UInt8]
        let budget = server.components.otlp.admission.budget.maxRequests
        let held = try (0..<budget).map { _ in try server.components.otlp.admission.admit(bytes: 0) }
        try await server.test { client in
            let refused = try await client.otlp("/v1/metrics", body)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
            let status = try RPCStatus(serializedBytes: Array(refused.body.readableBytesView))
            #expect(status.code == 8, "RESOURCE_EXHAUSTED")
            for ticket in held { server.components.otlp.admission.release(ticket) }
            #expect(try await client.otlp("/v1/metrics", body).status == .ok, "once the load is gone, the retry succeeds")
        }
        #expect(server.components.otlp.admission.load == (0, 0), "every admitted request released its share")
        #expect(try server.storedTelemetry().count == 1, "the refused export stored nothing")
    }

    @Test func notReadyIsARetryable503WithRetryAfter() async throws {
        let server = try await ServerHarness(loaded: false)
        try await server.test { client in
            let response = try await client.otlp("/v1/metrics", [])
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
        }
    }

    @Test func aCorpusOfMalformedBodiesGets4xxAndLeavesTheServerServing() async throws {
        let server = try await ServerHarness()
        let valid: [UInt8] = try Self.metrics(agent: "a1", 1).serializedBytes()
        let corpus: [(body: [UInt8], encoding: String?)] = [
            (Array(valid.dropLast(2)), nil),
            ([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07], nil),
            ([0x0A, 0x05, 0x0A, 0x03, 0x0A, 0x01, 0x0A], nil),
            ([0x0F] + valid, nil),
            ([0x08] + [UInt8](repeating: 0x80, count: 12), nil),
            ([0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF], "gzip"),
            (Array(Compression.compress(valid, .gzip).dropLast(6)), "gzip"),
            (valid, "deflate"),
            ((0..<4_096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }, nil),
        ]
        try await server.test { client in
            for (index, entry) in corpus.enumerated() {
                for path in ["/v1/metrics", "/v1/traces"] {
                    let response = try await client.otlp(path, entry.body, contentEncoding: entry.encoding)
                    #expect((400..<500).contains(response.status.code), "corpus entry \(index) to \(path): \(response.status)")
                }
            }
            #expect(try await client.get("/healthz", .none).status == .ok)
            #expect(try await client.otlp("/v1/metrics", valid).status == .ok)
        }
    }
}

extension TestClientProtocol {
    func otlp(
        _ path: String, _ body: [UInt8], contentType: String = "application/x-protobuf", contentEncoding: String? = nil, token: Token = .agent
    ) async throws -> TestResponse {
        var headers = token.headers
        headers[.contentType] = contentType
        if let contentEncoding { headers[.contentEncoding] = contentEncoding }
        return try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }
}

extension ServerHarness {
    /// What the OTLP endpoints stored, once the receiver has written what it holds (as its
    /// flusher does every second in a running server).
    func storedTelemetry() throws -> [AgentObservation] {
        try components.otlp.flush(to: store)
        return try store.observations(from: 0, through: .infinity)
    }
}
