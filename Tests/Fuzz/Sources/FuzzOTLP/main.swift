import BellwetherTelemetry

/// An OTLP/HTTP export body. The first byte picks the encoding and the compression, so one
/// corpus reaches protobuf and JSON, plain and compressed, metrics and traces.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOTLP(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let selector = start[0]
    let body = Array(UnsafeBufferPointer(start: start + 1, count: count - 1))
    let encoding: OTLPEncoding = selector & 1 == 0 ? .protobuf : .json
    let coding: ContentCoding = switch (selector >> 1) % 3 {
    case 0: .identity
    case 1: .gzip
    default: .deflate
    }
    let decoder = OTLPPayloadDecoder(limit: 1 << 20)
    if selector & 8 == 0 {
        _ = try? decoder.metrics(body, encoding: encoding, coding: coding)
    } else {
        _ = try? decoder.traces(body, encoding: encoding, coding: coding)
    }
    return 0
}
