import VeectorSession

/// A peer as the session layer knows it: its proven Ed25519 public key (32 bytes). The key is who
/// the peer is — gossip links, transfer scores and graylists all attach to it.
public struct PeerKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32-byte public key.
    public let bytes: [UInt8]

    /// Wraps a key; nil unless it is exactly 32 bytes.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// The key a session's handshake proved.
    public init(_ peer: PeerIdentity) { bytes = peer.publicKey }

    /// Hashes the key's bytes in one call.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// Orders keys by their bytes (deterministic iteration, and the tie-break between two sessions
    /// the same two peers opened at once).
    public static func < (lhs: PeerKey, rhs: PeerKey) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// The first 8 bytes in hex, enough to tell peers apart in logs.
    public var description: String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in bytes.prefix(8) { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return s
    }

    /// All 32 bytes in hex (for the command line and JSON).
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return s
    }
}
