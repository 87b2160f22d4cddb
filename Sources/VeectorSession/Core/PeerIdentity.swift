import VeectorCrypto
import VeectorWire

/// Who is on the other end of a completed handshake: proved by the Noise static key, which is
/// the X25519 form of this Ed25519 key.
public struct PeerIdentity: Sendable, Equatable {
    /// The peer's Ed25519 public key (its device identity).
    public let publicKey: [UInt8]
    /// The node ID the peer announced; it derives from `publicKey` (possibly with a BEP 42 prefix).
    public let nodeID: NodeID
    /// The peer's encoded device certificate, if it sent one. Not checked here: the node checks
    /// it with VeectorIdentity (signature, user, validity, revocations).
    public let certificate: [UInt8]?
    /// The largest message the peer accepts; we never send a larger one.
    public let maxMessageSize: Int
    /// The session protocol version the peer speaks.
    public let protocolVersion: Int64
    /// The Noise handshake hash (64 bytes), identical on both sides: a channel binding.
    public let handshakeHash: [UInt8]
}

extension NodeID {
    /// True if this ID is one that `publicKey` derives for some external address: bits 21–159
    /// equal those of `SHA1("veector-node-id-v1" ‖ publicKey)` (BEP 42 only replaces the first 21).
    static func isConsistent(_ id: NodeID, withPublicKey publicKey: [UInt8]) -> Bool {
        let h = NodeID.derived(fromPublicKey: publicKey, externalAddress: nil).bytes
        let b = id.bytes
        return b[2] & 0x07 == h[2] & 0x07 && b[3...] == h[3...]
    }
}
