import BellwetherTelemetry
import BellwetherTestSupport
import Foundation
import SwiftProtobuf
import Testing

/// Request bodies in every form OTLP/HTTP allows, and the malformed ones a receiver must refuse.
@Suite struct PayloadDecodingTests {
    let decoder = OTLPPayloadDecoder()

    @Test func aProtobufMetricsRequestDecodesToWhatWasSent() throws {
        let request = OTLP.metrics(agent: "a1", [OTLP.sum("agent.data.records_processed_total", [OTLP.point(42, at: 10)])])
        let decoded = try decoder.metrics(try request.serializedBytes(), encoding: .protobuf, coding: .identity)
        #expect(decoded == request)
    }

    @Test func aProtobufTraceRequestDecodesToWhatWasSent() throws {
        let request = OTLP.traces(agent: "a1", [OTLP.span(error: true, exception: ("KeyError", "region"))])
        let decoded = try decoder.traces(try request.serializedBytes(), encoding: .protobuf, coding: .identity)
        #expect(decoded == request)
    }

    @Test func otlpJSONWithHexIdsCamelCaseStringIntegersAndIntegerEnumsDecodes() throws {
        let json = """
            {"resourceSpans": [{"resource": {"attributes": [
                {"key": "service.instance.id", "value": {"stringValue": "a1"}},
                {"key": "pid", "value": {"intValue": "4242"}}]},
              "scopeSpans": [{"scope": {"name": "agent.data"}, "spans": [{
                "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
                "parentSpanId": "", "name": "process_data_record", "kind": 1,
                "startTimeUnixNano": "1764000000000000000", "endTimeUnixNano": 1764000000500000000,
                "status": {"code": 2, "message": "boom"}, "someFutureField": {"x": 1}}]}]}]}
            """
        let request = try decoder.traces(Array(json.utf8), encoding: .json, coding: .identity)
        let span = try #require(request.resourceSpans.first?.scopeSpans.first?.spans.first)
        #expect(HexIdentifier.string(span.traceID) == "5b8efff798038103d269b633813fc60c")
        #expect(HexIdentifier.string(span.spanID) == "eee19b7ec3c1b174")
        #expect(span.parentSpanID.isEmpty)
        #expect(span.kind == .internal)
        #expect(span.status.code == .error)
        #expect(span.startTimeUnixNano == 1_764_000_000_000_000_000)
        #expect(span.endTimeUnixNano == 1_764_000_000_500_000_000)
        #expect(request.resourceSpans[0].resource.attributes[1].value.intValue == 4242)
    }

    @Test func jsonIdsSentAsBase64OfTheRightLengthAreKept() throws {
        let traceID = Data(repeating: 7, count: 16), spanID = Data(repeating: 9, count: 8)
        let json = #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "\#(traceID.base64EncodedString())", "spanId": "\#(spanID.base64EncodedString())", "name": "x"}]}]}]}"#
        let span = try #require(try decoder.traces(Array(json.utf8), encoding: .json, coding: .identity).resourceSpans.first?.scopeSpans.first?.spans.first)
        #expect(span.traceID == traceID)
        #expect(span.spanID == spanID)
    }

    @Test func aJSONMetricsRequestRoundTripsThroughSwiftProtobufsJSON() throws {
        let request = OTLP.metrics(agent: "a1", [
            OTLP.sum("agent.data.records_processed_total", [OTLP.point(42, at: 10)], temporality: .delta),
            OTLP.histogram("agent.data.processing_duration_seconds", bounds: [0.1, 1], counts: [3, 2, 1], sum: 2.5, at: 10),
        ])
        let decoded = try decoder.metrics(try request.jsonUTF8Bytes(), encoding: .json, coding: .identity)
        #expect(decoded == request)
    }

    @Test(arguments: [(Compression.Format.gzip, ContentCoding.gzip), (.zlib, .deflate), (.rawDeflate, .deflate)])
    func compressedBodiesInflate(format: Compression.Format, coding: ContentCoding) throws {
        let request = OTLP.traces(agent: "a1", (1...50).map { OTLP.span(number: $0) })
        let body = Compression.compress(try request.serializedBytes(), format)
        #expect(try decoder.traces(body, encoding: .protobuf, coding: coding) == request)
    }

    @Test func concatenatedGzipMembersInflateAsOneBody() throws {
        let bytes: [UInt8] = try OTLP.traces(agent: "a1", [OTLP.span()]).serializedBytes()
        let body = Compression.compress(Array(bytes[..<10]), .gzip) + Compression.compress(Array(bytes[10...]), .gzip)
        #expect(try decoder.traces(body, encoding: .protobuf, coding: .gzip) == OTLP.traces(agent: "a1", [OTLP.span()]))
    }

    @Test func anEmptyBodyIsAnEmptyRequestInEveryCoding() throws {
        for coding in [ContentCoding.identity, .gzip, .deflate] {
            #expect(try decoder.metrics([], encoding: .protobuf, coding: coding) == OTLPExportMetricsServiceRequest())
        }
    }

    @Test func theLimitHoldsOnTheInflatedSizeNotTheCompressedOne() throws {
        let bomb = Compression.compress([UInt8](repeating: 0, count: 4 << 20), .gzip)
        #expect(bomb.count < 10_000)
        let small = OTLPPayloadDecoder(limit: 1 << 20)
        #expect(throws: OTLPRequestError.tooLarge(limit: 1 << 20)) {
            try small.metrics(bomb, encoding: .protobuf, coding: .gzip)
        }
        #expect(throws: OTLPRequestError.tooLarge(limit: 10)) {
            try OTLPPayloadDecoder(limit: 10).metrics([UInt8](repeating: 0, count: 11), encoding: .protobuf, coding: .identity)
        }
    }

    @Test func malformedBodiesAreRefusedAsMalformedNeverCrash() throws {
        let valid: [UInt8] = try OTLP.metrics(agent: "a1", [OTLP.sum("c", [OTLP.point(1, at: 1)])]).serializedBytes()
        let gzip = Compression.compress(valid, .gzip)
        let corpus: [(String, [UInt8], OTLPEncoding, ContentCoding)] = [
            ("truncated protobuf", Array(valid.dropLast(3)), .protobuf, .identity),
            ("a length past the end", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0A], .protobuf, .identity),
            ("an invalid wire type", [0x0F, 0x00], .protobuf, .identity),
            ("an endless varint", [0x08] + [UInt8](repeating: 0xFF, count: 11), .protobuf, .identity),
            ("bad gzip", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xDE, 0xAD, 0xBE, 0xEF], .protobuf, .gzip),
            ("gzip cut short", Array(gzip.prefix(gzip.count / 2)), .protobuf, .gzip),
            ("gzip followed by garbage", gzip + [1, 2, 3], .protobuf, .gzip),
            ("not gzip at all", valid, .protobuf, .gzip),
            ("JSON that is not JSON", Array("{\"resourceMetrics\": [".utf8), .json, .identity),
            ("JSON with a wrong type", Array(#"{"resourceMetrics": "everything"}"#.utf8), .json, .identity),
        ]
        for (name, body, encoding, coding) in corpus {
            #expect(status { try decoder.metrics(body, encoding: encoding, coding: coding) } == 400, "\(name)")
        }
    }

    /// Protobuf's rule, which swift-protobuf follows: a known field sent with another wire type is
    /// an unknown field, skipped; what else the request holds still counts.
    @Test func aFieldWithTheWrongWireTypeIsSkippedAsUnknown() throws {
        let request = OTLP.metrics(agent: "a1", [OTLP.sum("c", [OTLP.point(1, at: 1)])])
        let body: [UInt8] = [0x09, 1, 2, 3, 4, 5, 6, 7, 8] + (try request.serializedBytes())
        #expect(try decoder.metrics(body, encoding: .protobuf, coding: .identity) == request)
    }

    @Test(arguments: ["zz", "5b8efff798038103d269b633813fc60", "5b8efff798038103d269b633813fc6zz"])
    func aJSONTraceIdThatIsNotThirtyTwoHexDigitsIsMalformed(traceID: String) {
        let json = #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "\#(traceID)", "spanId": "eee19b7ec3c1b174"}]}]}]}"#
        #expect(status { try decoder.traces(Array(json.utf8), encoding: .json, coding: .identity) } == 400)
    }

    @Test func deeplyNestedAttributeValuesAreRefused() throws {
        var value = OTLPAnyValue.with { $0.stringValue = "leaf" }
        for _ in 0..<200 {
            let inner = value
            value = OTLPAnyValue.with { $0.arrayValue.values = [inner] }
        }
        let request = OTLP.metrics([(OTLP.resource(agent: "a1", extra: [OTLPKeyValue.with { $0.key = "deep"; $0.value = value }]), [])])
        let body: [UInt8] = try request.serializedBytes()
        #expect(throws: OTLPRequestError.self) { try decoder.metrics(body, encoding: .protobuf, coding: .identity) }
    }

    @Test func contentTypesAndEncodingsAreRecognisedAsOTLPNamesThem() {
        #expect(OTLPEncoding(contentType: "application/x-protobuf") == .protobuf)
        #expect(OTLPEncoding(contentType: "application/json; charset=utf-8") == .json)
        #expect(OTLPEncoding(contentType: "text/plain") == nil)
        #expect(OTLPEncoding(contentType: nil) == nil)
        #expect(ContentCoding(header: nil) == .identity)
        #expect(ContentCoding(header: "GZIP") == .gzip)
        #expect(ContentCoding(header: "br") == nil)
    }

    /// The status a decoding would be answered with: 200 when it succeeds.
    private func status(_ decode: () throws -> some Any) -> Int? {
        do {
            _ = try decode()
            return 200
        } catch {
            return (error as? OTLPRequestError)?.statusCode
        }
    }
}
