import VeectorCrypto
import VeectorWire

/// A user's signed statement that one of their devices is no longer trusted from a given time
/// (lost, stolen, retired). Spreads like a certificate; anyone can check it with the user's key.
public struct RevocationEntry: Sendable, Equatable {
    /// The domain-separation prefix signed before the bencoded body.
    public static let signatureDomain: [UInt8] = Array("veector-device-revocation-v1".utf8)
    /// The largest encoded revocation accepted.
    public static let maxEncodedBytes = 512

    /// The signed fields.
    public struct Body: Sendable, Equatable {
        /// The revoking user's Ed25519 public key.
        public let userPublicKey: [UInt8]
        /// The revoked device's Ed25519 public key.
        public let devicePublicKey: [UInt8]
        /// From when the device is untrusted, Unix seconds.
        public let revokedAt: Int64
        /// Why, for people (at most 128 bytes of UTF-8; may be empty).
        public let reason: String

        /// Checks the fields.
        public init(userPublicKey: [UInt8], devicePublicKey: [UInt8], revokedAt: Int64, reason: String) throws(IdentityError) {
            guard userPublicKey.count == 32 else { throw .invalidKey(what: "user public key", expected: 32, got: userPublicKey.count) }
            guard devicePublicKey.count == 32 else { throw .invalidKey(what: "device public key", expected: 32, got: devicePublicKey.count) }
            guard revokedAt >= 0 else { throw .invalidField(field: "rat", reason: "must not be negative, is \(revokedAt)") }
            if let problem = FieldRules.reasonProblem(Array(reason.utf8)) { throw .invalidField(field: "rsn", reason: problem) }
            self.userPublicKey = userPublicKey
            self.devicePublicKey = devicePublicKey
            self.revokedAt = revokedAt
            self.reason = reason
        }

        var dictionary: [[UInt8]: BencodeValue] {
            [Array("v".utf8): .integer(1),
             Array("usr".utf8): .bytes(userPublicKey),
             Array("dev".utf8): .bytes(devicePublicKey),
             Array("rat".utf8): .integer(revokedAt),
             Array("rsn".utf8): .string(reason)]
        }

        /// The exact bytes the user signs: the domain prefix, then the canonical bencoding of the body.
        public var signedBytes: [UInt8] { RevocationEntry.signatureDomain + BencodeValue.dictionary(dictionary).encoded() }
    }

    /// The signed fields.
    public let body: Body
    /// The user's Ed25519 signature over `body.signedBytes`.
    public let signature: [UInt8]

    init(body: Body, signature: [UInt8]) {
        self.body = body
        self.signature = signature
    }

    /// The canonical encoding: the body's dictionary with `sig` added.
    public func encoded() -> [UInt8] {
        var dict = body.dictionary
        dict[Array("sig".utf8)] = .bytes(signature)
        return BencodeValue.dictionary(dict).encoded()
    }

    /// Parses a revocation strictly; does not check the signature (see `verify`).
    public init(decoding bytes: [UInt8]) throws(IdentityError) {
        let f = try RecordFields(decoding: bytes, maxBytes: Self.maxEncodedBytes, what: "revocation")
        try f.requireOnly(["v", "usr", "dev", "rat", "rsn", "sig"])
        try f.requireVersion(1)
        let reason = try f.bytes("rsn")
        if let problem = FieldRules.reasonProblem(reason) { throw .malformed(field: "rsn", reason: problem) }
        let rat = try f.integer("rat")
        guard rat >= 0 else { throw .malformed(field: "rat", reason: "is negative") }
        do {
            body = try Body(userPublicKey: try f.bytes("usr", count: 32), devicePublicKey: try f.bytes("dev", count: 32),
                            revokedAt: rat, reason: String(decoding: reason, as: UTF8.self))
        } catch { throw .malformed(field: "revocation", reason: error.description) }
        signature = try f.bytes("sig", count: SigningKeyPair.signatureBytes)
    }

    /// Throws `.badSignature` unless the user named in the body signed it.
    public func verify() throws(IdentityError) {
        guard Signature.verify(signature, message: body.signedBytes, publicKey: body.userPublicKey) else { throw .badSignature }
    }
}
