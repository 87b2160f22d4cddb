/// A peer in a transfer: its Ed25519 public key, as the session that carries the messages
/// authenticated it. Scores and bans attach to this key.
public struct TransferPeer: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32-byte public key.
    public let publicKey: [UInt8]

    /// Wraps a public key; fails unless it is exactly 32 bytes.
    public init(publicKey: [UInt8]) throws(TransferError) {
        guard publicKey.count == 32 else { throw .invalidPeerKey(length: publicKey.count) }
        self.publicKey = publicKey
    }

    /// Hashes the key's bytes in one call (the element-wise default costs a `Hasher` round per byte,
    /// and peers key every table of the fetch and serve cores).
    public func hash(into hasher: inout Hasher) {
        publicKey.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// Orders peers by key bytes, so iteration over peers is deterministic.
    public static func < (lhs: TransferPeer, rhs: TransferPeer) -> Bool {
        lhs.publicKey.lexicographicallyPrecedes(rhs.publicKey)
    }

    /// The first 8 bytes of the key in hex.
    public var description: String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in publicKey.prefix(8) { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return s
    }
}
