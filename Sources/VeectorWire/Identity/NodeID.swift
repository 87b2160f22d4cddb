/// A 160-bit Kademlia node ID (also the shape of info-hashes and BEP 44 targets): the key space
/// the DHT routes in, with XOR as its distance.
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Bytes in an ID.
    public static let byteCount = 20
    /// Bits in an ID.
    public static let bitCount = 160

    /// The 20 bytes, most significant first.
    public let bytes: [UInt8]

    /// Wraps exactly 20 bytes; nil for any other length.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Wraps bytes already known to be 20 long.
    init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount)
        self.bytes = bytes
    }

    /// The all-zero ID.
    public static let zero = NodeID(unchecked: [UInt8](repeating: 0, count: 20))

    /// A uniformly random ID from the injected generator.
    public static func random(using rng: inout some RandomNumberGenerator) -> NodeID {
        NodeID(unchecked: (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
    }

    /// `self XOR other`, the Kademlia distance, itself compared as a 160-bit number.
    public func distance(to other: NodeID) -> NodeID {
        NodeID(unchecked: zip(bytes, other.bytes).map { $0 ^ $1 })
    }

    /// True if `self` is strictly closer to `target` than `other` is.
    public func isCloser(to target: NodeID, than other: NodeID) -> Bool {
        for i in 0..<20 {
            let a = bytes[i] ^ target.bytes[i], b = other.bytes[i] ^ target.bytes[i]
            if a != b { return a < b }
        }
        return false
    }

    /// Number of leading bits `self` shares with `other` (160 if equal).
    public func commonPrefixLength(with other: NodeID) -> Int {
        for i in 0..<20 {
            let x = bytes[i] ^ other.bytes[i]
            if x != 0 { return i * 8 + x.leadingZeroBitCount }
        }
        return Self.bitCount
    }

    /// The routing-table bucket `other` belongs to, seen from `self`: the common prefix length,
    /// 0 (farthest half of the key space) ... 159 (nearest); nil for `self` itself.
    public func bucketIndex(of other: NodeID) -> Int? {
        let n = commonPrefixLength(with: other)
        return n == Self.bitCount ? nil : n
    }

    /// A random ID in bucket `index` (0..<160) as seen from `self`: it shares exactly `index`
    /// leading bits with `self`, used to refresh that bucket.
    public func randomID(inBucket index: Int, using rng: inout some RandomNumberGenerator) -> NodeID {
        precondition((0..<Self.bitCount).contains(index), "bucket index must be 0..<160")
        var out = NodeID.random(using: &rng).bytes
        for bit in 0...index {
            let byte = bit / 8, mask = UInt8(0x80) >> UInt8(bit % 8)
            let mine = bytes[byte] & mask
            let wanted = bit == index ? mine ^ mask : mine
            out[byte] = (out[byte] & ~mask) | wanted
        }
        return NodeID(unchecked: out)
    }

    /// Orders IDs as 160-bit big-endian numbers (so distances sort nearest first).
    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// Lower-case hex, 40 digits.
    public var description: String { bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() }
}

extension String {
    /// Pads with "0" on the left up to `width` characters.
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
