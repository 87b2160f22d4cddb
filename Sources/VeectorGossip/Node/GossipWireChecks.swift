import VeectorCrypto

/// How a node reads a frame off the wire and checks an envelope's signature: the two pure,
/// costly steps every received message goes through (`Spec/gossip.md`, "Validation").
///
/// Real nodes use `standard`: the bencode decoder and libsodium's Ed25519 check, run for every
/// frame. The hook exists so that a process running thousands of simulated nodes (`veesim`) can
/// share the results of these pure functions between nodes that receive the very same bytes —
/// every node still runs all of its own validation, and an implementation must answer exactly as
/// `standard` would for the same bytes (a memo keyed by the complete input bytes does).
public struct GossipWireChecks: Sendable {
    /// Decodes one frame of at most `limit` bytes; nil if it is malformed or too large.
    public let readFrame: @Sendable (_ bytes: [UInt8], _ limit: Int) -> GossipFrame?
    /// True only if `signature` is `publicKey`'s Ed25519 signature of `message` (the signing
    /// context followed by the envelope's canonical body).
    public let verifySignature: @Sendable (_ signature: [UInt8], _ message: [UInt8], _ publicKey: [UInt8]) -> Bool

    /// Checks made by the two functions given (each must be pure and agree with `standard`).
    public init(readFrame: @escaping @Sendable (_ bytes: [UInt8], _ limit: Int) -> GossipFrame?,
                verifySignature: @escaping @Sendable (_ signature: [UInt8], _ message: [UInt8], _ publicKey: [UInt8]) -> Bool) {
        self.readFrame = readFrame
        self.verifySignature = verifySignature
    }

    /// The real checks: `GossipFrame(decoding:limit:)` and libsodium's `crypto_sign_verify_detached`.
    public static let standard = GossipWireChecks(
        readFrame: { bytes, limit in try? GossipFrame(decoding: bytes, limit: limit) },
        verifySignature: { signature, message, publicKey in Signature.verify(signature, message: message, publicKey: publicKey) })
}

extension GossipEnvelope {
    /// The bytes the author signed: the signing context followed by the canonical body.
    public var signedBytes: [UInt8] { GossipLimits.signingContext + body }

    /// True if `signature` is the author's signature of the body, as `checks` verify it.
    func hasValidSignature(checkedBy checks: GossipWireChecks) -> Bool {
        checks.verifySignature(signature, signedBytes, author.publicKey)
    }
}
