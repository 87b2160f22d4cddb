/// A running 64-bit FNV-1a hash of everything that happens in a run.
///
/// Every delivered datagram, fired timer and command result is folded in, in order. Two runs with the
/// same seed and scenario print the same hash; any divergence — one reordered packet — changes it.
public struct TraceHash: Sendable, Equatable {
    /// The current value.
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    /// A fresh hash.
    public init() {}

    /// Folds in bytes.
    public mutating func add<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01B3
        }
    }

    /// Folds in an integer (little-endian bytes).
    public mutating func add(_ n: UInt64) {
        var v = n
        for _ in 0..<8 {
            value ^= v & 0xFF
            value = value &* 0x0000_0100_0000_01B3
            v >>= 8
        }
    }

    /// The value as 16 hex digits.
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
