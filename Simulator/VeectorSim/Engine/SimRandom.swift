/// The simulator's one seeded random source: xoshiro256** seeded through SplitMix64.
///
/// Every random choice of a run (latencies, losses, churn, each core's own randomness) is drawn from
/// generators derived from the run's seed, so the same seed gives a bit-identical run. `derived(_:)`
/// makes an independent stream per node, so adding a draw in one node does not shift another's.
public struct SimRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator for `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func next() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// An independent stream for `stream` (e.g. a node index), derived from this generator's seed state.
    public func derived(_ stream: UInt64) -> SimRandom {
        SimRandom(seed: s0 ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ s3.rotatedLeft(by: 13))
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { p > 0 && unit() < p }
}

extension UInt64 {
    fileprivate func rotatedLeft(by n: UInt64) -> UInt64 { self << n | self >> (64 - n) }
}
