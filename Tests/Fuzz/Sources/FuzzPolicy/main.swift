import BellwetherCore

/// A policy as `rollout start` uploads it and `policy lint` reads it: any text must decode or fail
/// with a `PolicyError` that points at a line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? PolicyDecoder.decode(yaml: text, file: "fuzz.yaml")
    return 0
}
