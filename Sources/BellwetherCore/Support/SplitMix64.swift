/// Steele, Lea and Flood's SplitMix64: a tiny seeded generator whose whole state is one integer.
///
/// Tests, simulations and benchmarks need randomness that replays bit for bit from a seed on
/// every platform and Swift release; `SystemRandomNumberGenerator` cannot, and the core may not
/// use global randomness at all. SplitMix64 passes BigCrush, costs one addition and one mix a
/// number, and is `Sendable` because it is a plain value: each task owns its copy.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// Everything the generator remembers; two generators with equal state produce equal streams.
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The generator's finaliser on its own: a bijection of 64-bit integers in which every input
    /// bit affects every output bit. Shared with `StableHash`, which needs exactly that avalanche.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
