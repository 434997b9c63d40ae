import Foundation

/// OTLP JSON writes trace and span ids as hex strings, where the protobuf JSON mapping that
/// swift-protobuf implements expects base64 for bytes. Hex digits are all base64 characters, so
/// swift-protobuf reads a 32-digit trace id as 24 bytes and a 16-digit span id as 12 bytes; those
/// lengths cannot be real ids, so they are turned back into the base64 text and read as hex. Ids of
/// the proper length (a client sending base64) and empty ids are kept as they are; any other
/// length was neither, and the request is malformed.
extension OTLPExportTraceServiceRequest {
    mutating func restoreHexIdentifiers() throws(OTLPRequestError) {
        for r in resourceSpans.indices {
            for s in resourceSpans[r].scopeSpans.indices {
                for index in resourceSpans[r].scopeSpans[s].spans.indices {
                    try resourceSpans[r].scopeSpans[s].spans[index].restoreHexIdentifiers()
                }
            }
        }
    }
}

extension OTLPSpan {
    mutating func restoreHexIdentifiers() throws(OTLPRequestError) {
        traceID = try HexIdentifier.restore(traceID, length: 16, field: "traceId")
        spanID = try HexIdentifier.restore(spanID, length: 8, field: "spanId")
        parentSpanID = try HexIdentifier.restore(parentSpanID, length: 8, field: "parentSpanId")
        for index in links.indices {
            links[index].traceID = try HexIdentifier.restore(links[index].traceID, length: 16, field: "links.traceId")
            links[index].spanID = try HexIdentifier.restore(links[index].spanID, length: 8, field: "links.spanId")
        }
    }
}

/// Trace and span ids as text: lowercase hex, as OTLP JSON and every tracing UI show them.
public enum HexIdentifier {
    public static func string(_ bytes: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of hex text, nil unless it is an even number of hex digits.
    public static func bytes(_ text: some StringProtocol) -> Data? {
        let utf8 = Array(text.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var bytes = Data(capacity: utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `decoded` as swift-protobuf read it: an id of `length` bytes written in hex arrives as
    /// `length * 3 / 2` bytes (the base64 reading of its digits).
    static func restore(_ decoded: Data, length: Int, field: String) throws(OTLPRequestError) -> Data {
        if decoded.isEmpty || decoded.count == length { return decoded }
        guard decoded.count == length * 3 / 2, let id = bytes(decoded.base64EncodedString()), id.count == length else {
            throw .malformedPayload("\(field) must be \(length * 2) hex digits")
        }
        return id
    }
}
