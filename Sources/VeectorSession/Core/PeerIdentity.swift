import VeectorCrypto
import VeectorIdentity
import VeectorWire

/// Who is on the other end of a completed handshake: proved by the Noise static key, which is
/// the X25519 form of this Ed25519 key.
public struct PeerIdentity: Sendable, Equatable {
    /// The peer's Ed25519 public key (its device identity).
    public let publicKey: [UInt8]
    /// The node ID the peer announced; it derives from `publicKey` (possibly with a BEP 42 prefix).
    public let nodeID: NodeID
    /// The peer's encoded device certificate, if it sent one. The session checked it before it
    /// was established (signature, that it names `publicKey`, validity, revocations).
    public let certificate: [UInt8]?
    /// The peer's verified device certificate (nil when it presented none): its name and capabilities.
    public let verifiedCertificate: DeviceCertificate?
    /// The largest message the peer accepts; we never send a larger one.
    public let maxMessageSize: Int
    /// The session protocol version the peer speaks.
    public let protocolVersion: Int64
    /// The Noise handshake hash (64 bytes), identical on both sides: a channel binding.
    public let handshakeHash: [UInt8]

    /// The Ed25519 public key of the user whose device the peer is, proved by a certificate that
    /// verified; nil when the peer presented none. Sync and sharing use it to tell whose device this is.
    public var user: [UInt8]? { verifiedCertificate?.body.userPublicKey }

    /// True when the peer proved it is a device of `user` (pass our own user key, e.g.
    /// `SessionConfiguration.user`, to ask "is this one of my devices?"). False when either is nil.
    public func isDevice(ofUser user: [UInt8]?) -> Bool {
        guard let user, let mine = self.user else { return false }
        return mine == user
    }
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
