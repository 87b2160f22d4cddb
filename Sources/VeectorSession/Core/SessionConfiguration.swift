import VeectorCrypto
import VeectorIdentity
import VeectorWire

/// Which side of a session this core plays: the one that dialled (sends the first handshake
/// message) or the one that accepted.
public enum SessionRole: Sendable, Equatable {
    /// We opened the connection and write handshake message 1.
    case initiator
    /// We accepted the connection and answer with handshake message 2.
    case responder
}

/// Everything a `SessionCore` needs to know before it starts: who we are, whom we expect, and
/// the limits and timers of the session (Spec/wire.md, "Sessions").
public struct SessionConfiguration: Sendable {
    /// Initiator or responder.
    public var role: SessionRole
    /// The device's Ed25519 identity; its X25519 form is the Noise static key.
    public var identity: SigningKeyPair
    /// The node ID we announce (must derive from `identity.publicKey`, see Spec/identity.md).
    public var nodeID: NodeID
    /// Our encoded device certificate, sent in the hello if present (at most 1024 bytes).
    public var certificate: [UInt8]?
    /// Revocations the peer's certificate is checked against (a revoked device is refused with
    /// `.certificateRejected(.revoked)`). The node fills it from its home (`NodeHome.sessionCredentials`).
    public var revocations = RevocationList()
    /// The wall-clock time (Unix seconds) at which the peer's certificate must be valid. The core
    /// reads no clock: leave it nil with the TCP driver, which sets it from the system clock when
    /// each connection starts; a core used directly must set it, or a presented certificate is refused.
    public var certificateTime: Int64?
    /// Seconds of clock difference tolerated either side of a certificate's validity window.
    public var certificateClockSkew: Int64 = 300
    /// The peer's Ed25519 public key, if we know whom we dialled or expect: anyone else is refused.
    public var expectedPeer: [UInt8]?
    /// The largest application message we accept (announced to the peer), at most 2^32 - 1.
    public var maxMessageSize: Int = 16 << 20
    /// The largest Noise transport message we send, ≤ 65535 (smaller values exercise fragmentation).
    public var maxFrameBytes: Int = 65535
    /// How long the handshake may take before the session is closed.
    public var handshakeTimeout: Duration = .seconds(10)
    /// How long the peer may stay silent (no frame at all) before the session is closed.
    public var idleTimeout: Duration = .seconds(120)
    /// How often to send a keepalive while we have nothing else to send (nil: never).
    public var keepaliveInterval: Duration? = .seconds(30)
    /// Transport messages sent under one key before we rekey (Noise `REKEY`).
    public var rekeyInterval: UInt64 = 1 << 16
    /// High-water mark of written-but-unflushed plus queued bytes: above it `send` answers `.wouldBlock`.
    public var sendBufferLimit: Int = 4 << 20
    /// The Noise prologue both sides must agree on.
    public var prologue: [UInt8] = Array("veector-session-v1".utf8)

    /// Our user's Ed25519 public key, read from our own `certificate` (nil without one, or if it
    /// does not parse): compare it with `PeerIdentity.user` to recognise our own devices.
    public var user: [UInt8]? {
        guard let certificate, let parsed = try? DeviceCertificate(decoding: certificate) else { return nil }
        return parsed.body.userPublicKey
    }

    /// A configuration with default limits; the node ID derives from the key with no external address.
    public init(role: SessionRole, identity: SigningKeyPair, certificate: [UInt8]? = nil, expectedPeer: [UInt8]? = nil) {
        self.role = role
        self.identity = identity
        self.nodeID = NodeID.derived(fromPublicKey: identity.publicKey, externalAddress: nil)
        self.certificate = certificate
        self.expectedPeer = expectedPeer
    }
}
