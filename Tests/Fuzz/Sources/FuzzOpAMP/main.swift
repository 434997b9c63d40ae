import BellwetherOpAMP

/// An OpAMP AgentToServer body over HTTP; the first byte picks the compression.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOpAMP(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let encoding = start[0] & 1 == 0 ? nil : "gzip"
    let body = Array(UnsafeBufferPointer(start: start + 1, count: count - 1))
    _ = try? OpAMPMessageDecoder(limit: 1 << 20).decode(body, contentType: "application/x-protobuf", contentEncoding: encoding)
    return 0
}
