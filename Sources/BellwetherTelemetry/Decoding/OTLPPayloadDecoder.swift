import SwiftProtobuf

/// Turns a request body into an export request: undoes its compression under the size limit,
/// then decodes it in the encoding its `Content-Type` names.
public struct OTLPPayloadDecoder: Sendable {
    /// The OTLP/HTTP specification's recommended cap on a decompressed body.
    public static let defaultLimit = 64 << 20

    /// The most bytes a body may have once decompressed (and before: a larger compressed body
    /// cannot inflate to less).
    public var limit: Int

    public init(limit: Int = Self.defaultLimit) {
        self.limit = limit
    }

    public func metrics(
        _ body: [UInt8], encoding: OTLPEncoding, coding: ContentCoding
    ) throws(OTLPRequestError) -> OTLPExportMetricsServiceRequest {
        try decode(OTLPExportMetricsServiceRequest.self, body, encoding: encoding, coding: coding)
    }

    /// JSON trace and span ids are hex, not the base64 of the protobuf JSON mapping: they are
    /// converted back to bytes here.
    public func traces(
        _ body: [UInt8], encoding: OTLPEncoding, coding: ContentCoding
    ) throws(OTLPRequestError) -> OTLPExportTraceServiceRequest {
        var request = try decode(OTLPExportTraceServiceRequest.self, body, encoding: encoding, coding: coding)
        if encoding == .json { try request.restoreHexIdentifiers() }
        return request
    }

    func decode<Request: Message>(
        _ type: Request.Type, _ body: [UInt8], encoding: OTLPEncoding, coding: ContentCoding
    ) throws(OTLPRequestError) -> Request {
        let bytes = try Inflater.decode(body, coding: coding, limit: limit)
        do {
            switch encoding {
            case .protobuf:
                var options = BinaryDecodingOptions()
                options.discardUnknownFields = true
                return try Request(serializedBytes: bytes, options: options)
            case .json:
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                return try Request(jsonUTF8Bytes: bytes, options: options)
            }
        } catch {
            throw .malformedPayload(Self.reason(error))
        }
    }

    /// The decoder's error in words a client's developer recognises.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case BinaryDecodingError.truncated: "the protobuf message is truncated (a length runs past the end of the body)"
        case BinaryDecodingError.malformedProtobuf: "malformed protobuf (a field's wire type or length is invalid)"
        case BinaryDecodingError.invalidUTF8: "a protobuf string is not valid UTF-8"
        case BinaryDecodingError.messageDepthLimit, JSONDecodingError.messageDepthLimit: "values are nested too deeply"
        case let error as JSONDecodingError: "invalid OTLP JSON (\(error))"
        default: "\(error)"
        }
    }
}
