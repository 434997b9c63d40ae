import Foundation

/// How guessable a bearer token is. A token is the only thing between the network and the power
/// to roll a fleet back (admin) or to feed the judge fabricated telemetry (agent), so one a person
/// typed ("secret", "changeme-please") is refused before the server opens a port.
///
/// The estimate is the token's own empirical entropy: each character costs log2(n / count) bits,
/// n the token's length and count how often that character occurs in it. It is an upper bound on
/// what a random generator of that alphabet could have produced, so it never calls a weak token
/// strong; `openssl rand -hex 32` scores about 240 bits, a repeated word close to nothing.
public struct TokenStrength: Sendable, Hashable {
    /// Shorter tokens are refused whatever their characters.
    public static let minimumLength = 16
    /// Fewer estimated bits than this are refused.
    public static let minimumBits = 64.0

    public let length: Int
    public let bits: Double

    public init(_ token: String) {
        let bytes = Array(token.utf8)
        var counts: [UInt8: Int] = [:]
        for byte in bytes { counts[byte, default: 0] += 1 }
        let n = Double(bytes.count)
        length = bytes.count
        bits = counts.values.reduce(0) { $0 + Double($1) * log2(n / Double($1)) }
    }

    public var isStrong: Bool { length >= Self.minimumLength && bits >= Self.minimumBits }
}
