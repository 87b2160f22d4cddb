import VeectorCrypto

/// A gossip peer or author: its Ed25519 public key. Links come from already-authenticated sessions,
/// so the key is who the peer is; it is also what an envelope's author field names.
public struct GossipPeer: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32-byte Ed25519 public key.
    public let publicKey: [UInt8]

    /// Wraps a public key; fails unless it is exactly 32 bytes.
    public init(publicKey: [UInt8]) throws(GossipError) {
        guard publicKey.count == SigningKeyPair.publicKeyBytes else {
            throw .invalidPeerKey(length: publicKey.count)
        }
        self.publicKey = publicKey
    }

    /// Hashes the key's bytes in one call (the element-wise default costs a `Hasher` round per byte).
    public func hash(into hasher: inout Hasher) {
        publicKey.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The peer whose secret half is `keys`.
    public init(_ keys: SigningKeyPair) { publicKey = keys.publicKey }

    init(unchecked key: [UInt8]) { publicKey = key }

    /// Orders peers by key bytes, so every iteration over peers is deterministic.
    public static func < (lhs: GossipPeer, rhs: GossipPeer) -> Bool {
        lhs.publicKey.lexicographicallyPrecedes(rhs.publicKey)
    }

    /// The first 8 bytes of the key in hex, enough to tell peers apart in logs.
    public var description: String { hex(publicKey.prefix(8)) }
}

/// Lower-case hex of `bytes`.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef")
    var s = ""
    for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
    return s
}
