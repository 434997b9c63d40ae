import BellwetherAPI
import BellwetherCore
import Foundation

/// JSON bodies of the API (rollout start, manual actions, heartbeats, the freeze), decoded as the server
/// decodes them; a start request's policy text goes on to the policy decoder, as it does live.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAPI(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let decoder = APICoding.decoder()
    _ = try? decoder.decode(HeartbeatRequest.self, from: data)
    _ = try? decoder.decode(ManualActionRequest.self, from: data)
    _ = try? decoder.decode(FreezeRequest.self, from: data)
    if let request = try? decoder.decode(StartRolloutRequest.self, from: data) {
        _ = try? PolicyDecoder.decode(yaml: request.policy, file: "fuzz.yaml")
    }
    return 0
}
