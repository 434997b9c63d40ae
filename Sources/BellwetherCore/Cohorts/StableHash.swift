/// A 64-bit hash that is the same on every machine, process and Swift release.
///
/// Cohort membership must survive a controller restart, a move to another host and an upgrade of
/// the toolchain, so Swift's `Hasher` (seeded afresh in every process) is unusable. FNV-1a over
/// UTF-8 bytes is fixed by its specification; FNV alone mixes its last bytes poorly (ids such as
/// `agent-0017` and `agent-0018` would land close together), so the SplitMix64 finaliser spreads
/// every input bit over the whole output before it is used as a position.
public struct StableHash: Sendable, Hashable {
    private static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The raw FNV-1a state: the hash of everything combined so far, before finalisation.
    public private(set) var fnv: UInt64 = Self.offsetBasis

    public init() {}

    public mutating func combine(_ string: String) {
        for byte in string.utf8 {
            combine(byte: byte)
        }
    }

    public mutating func combine(byte: UInt8) {
        fnv = (fnv ^ UInt64(byte)) &* Self.prime
    }

    public var value: UInt64 { SplitMix64.mix(fnv) }

    /// `value` as a point in [0, 1), from its 53 high bits: every double it yields is exact and
    /// evenly spaced, so "position < p" selects a share p of agents without rounding bias.
    public var unitInterval: Double { Double(value >> 11) * 0x1p-53 }
}
