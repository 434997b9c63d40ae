import BellwetherCore

/// A body of `POST /api/v1/observations` and a file for `bellwether analyze`: any bytes must
/// parse or fail with a `ReplayFormatError`, never crash, hang or overflow the stack.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzObservations(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    _ = try? ReplayFile.agentObservations(in: bytes, defaultTime: 1_000)
    _ = try? ReplayFile.observations(in: bytes)
    return 0
}
