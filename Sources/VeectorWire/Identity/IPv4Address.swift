/// An IPv4 address as four bytes in network order: the only address family our DHT speaks
/// (BEP 5 compact formats; IPv6/BEP 32 is future work).
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The address as a big-endian 32-bit number (a.b.c.d = a<<24 | b<<16 | c<<8 | d).
    public let value: UInt32

    /// Wraps a 32-bit address.
    public init(_ value: UInt32) { self.value = value }

    /// Makes a.b.c.d.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text ("124.31.75.21"); nil if malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let n = UInt8(p) else { return nil }
            v = v << 8 | UInt32(n)
        }
        value = v
    }

    /// The four bytes, most significant first.
    public var bytes: [UInt8] { [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }

    /// True for addresses BEP 42 exempts from ID enforcement: 10/8, 172.16/12, 192.168/16,
    /// 169.254/16 and 127/8.
    public var isLocal: Bool {
        value >> 24 == 10 || value >> 20 == 0xAC1 || value >> 16 == 0xC0A8 || value >> 16 == 0xA9FE || value >> 24 == 127
    }

    /// Dotted-quad text.
    public var description: String { bytes.map(String.init).joined(separator: ".") }
}
