import VeectorCrypto
import VeectorWire

/// A user's signed statement that a device belongs to them: user key, device key, device name,
/// validity window and capabilities, signed with the user's Ed25519 key.
///
/// Peers check it when a device introduces itself (for example in a session hello), so a device
/// can prove whose it is without the user's key ever leaving the user's vault. Encoding and test
/// vectors: Spec/identity.md, "Device certificates".
public struct DeviceCertificate: Sendable, Equatable {
    /// The domain-separation prefix signed before the bencoded body.
    public static let signatureDomain: [UInt8] = Array("veector-device-certificate-v1".utf8)
    /// The largest encoded certificate accepted.
    public static let maxEncodedBytes = 1024
    /// The most capabilities one certificate may carry.
    public static let maxCapabilities = 16

    /// The signed fields.
    public struct Body: Sendable, Equatable {
        /// The issuing user's Ed25519 public key.
        public let userPublicKey: [UInt8]
        /// The certified device's Ed25519 public key.
        public let devicePublicKey: [UInt8]
        /// A human name for the device (1–64 bytes of UTF-8), e.g. "alice-laptop".
        public let deviceName: String
        /// Start of validity, Unix seconds.
        public let issuedAt: Int64
        /// End of validity, Unix seconds (exclusive).
        public let expiresAt: Int64
        /// What the device may do on the user's behalf, sorted and unique (e.g. "sync", "infer").
        public let capabilities: [String]

        /// Checks and normalises the fields (capabilities sorted, duplicates dropped).
        public init(userPublicKey: [UInt8], devicePublicKey: [UInt8], deviceName: String, issuedAt: Int64, expiresAt: Int64,
                    capabilities: [String]) throws(IdentityError) {
            guard userPublicKey.count == 32 else { throw .invalidKey(what: "user public key", expected: 32, got: userPublicKey.count) }
            guard devicePublicKey.count == 32 else { throw .invalidKey(what: "device public key", expected: 32, got: devicePublicKey.count) }
            if let problem = FieldRules.deviceNameProblem(Array(deviceName.utf8)) { throw .invalidField(field: "name", reason: problem) }
            guard issuedAt >= 0 else { throw .invalidField(field: "iat", reason: "must not be negative, is \(issuedAt)") }
            guard expiresAt > issuedAt else {
                throw .invalidField(field: "exp", reason: "must be later than the issue time \(issuedAt), is \(expiresAt)")
            }
            let caps = Array(Set(capabilities)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            guard caps.count <= DeviceCertificate.maxCapabilities else {
                throw .invalidField(field: "cap", reason: "may list at most \(DeviceCertificate.maxCapabilities) capabilities, has \(caps.count)")
            }
            for cap in caps {
                if let problem = FieldRules.capabilityProblem(Array(cap.utf8)) { throw .invalidField(field: "cap", reason: "'\(cap)' \(problem)") }
            }
            self.userPublicKey = userPublicKey
            self.devicePublicKey = devicePublicKey
            self.deviceName = deviceName
            self.issuedAt = issuedAt
            self.expiresAt = expiresAt
            self.capabilities = caps
        }

        /// The body as a bencoded dictionary (without `sig`).
        var dictionary: [[UInt8]: BencodeValue] {
            [Array("v".utf8): .integer(1),
             Array("usr".utf8): .bytes(userPublicKey),
             Array("dev".utf8): .bytes(devicePublicKey),
             Array("name".utf8): .string(deviceName),
             Array("iat".utf8): .integer(issuedAt),
             Array("exp".utf8): .integer(expiresAt),
             Array("cap".utf8): .list(capabilities.map { .string($0) })]
        }

        /// The exact bytes the user signs: the domain prefix, then the canonical bencoding of the body.
        public var signedBytes: [UInt8] { DeviceCertificate.signatureDomain + BencodeValue.dictionary(dictionary).encoded() }
    }

    /// The signed fields.
    public let body: Body
    /// The user's Ed25519 signature over `body.signedBytes` (64 bytes).
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

    /// Parses a certificate strictly (canonical bencode, known fields only, every field in range).
    /// Parsing does not check the signature: call `verify`.
    public init(decoding bytes: [UInt8]) throws(IdentityError) {
        let f = try RecordFields(decoding: bytes, maxBytes: Self.maxEncodedBytes, what: "certificate")
        try f.requireOnly(["v", "usr", "dev", "name", "iat", "exp", "cap", "sig"])
        try f.requireVersion(1)
        let nameBytes = try f.bytes("name")
        if let problem = FieldRules.deviceNameProblem(nameBytes) { throw .malformed(field: "name", reason: problem) }
        var caps: [String] = []
        var previous: [UInt8]? = nil
        let list = try f.list("cap")
        guard list.count <= Self.maxCapabilities else { throw .malformed(field: "cap", reason: "lists \(list.count) capabilities, more than \(Self.maxCapabilities)") }
        for item in list {
            guard let c = item.bytesValue else { throw .malformed(field: "cap", reason: "holds something other than a byte string") }
            if let problem = FieldRules.capabilityProblem(c) { throw .malformed(field: "cap", reason: problem) }
            if let p = previous, !p.lexicographicallyPrecedes(c) { throw .malformed(field: "cap", reason: "is not sorted and unique") }
            previous = c
            caps.append(String(decoding: c, as: UTF8.self))
        }
        let iat = try f.integer("iat"), exp = try f.integer("exp")
        guard iat >= 0, exp > iat else { throw .malformed(field: "exp", reason: "must be later than iat (\(iat)), is \(exp)") }
        do {
            body = try Body(userPublicKey: try f.bytes("usr", count: 32), devicePublicKey: try f.bytes("dev", count: 32),
                            deviceName: String(decoding: nameBytes, as: UTF8.self), issuedAt: iat, expiresAt: exp, capabilities: caps)
        } catch { throw .malformed(field: "certificate", reason: error.description) }
        signature = try f.bytes("sig", count: SigningKeyPair.signatureBytes)
    }

    /// Checks the signature, that it was issued by `expectedUser` and for `expectedDevice` when
    /// given (pass the key a session peer proved, so a certificate copied from another device is
    /// refused), that the certificate is valid at `now` (Unix seconds, with `allowedClockSkew`
    /// seconds of tolerance either side), and that `revocations` does not revoke it. Throws the
    /// first problem found, in that order.
    public func verify(now: Int64, expectedUser: [UInt8]? = nil, expectedDevice: [UInt8]? = nil,
                       revocations: RevocationList = RevocationList(), allowedClockSkew: Int64 = 300) throws(IdentityError) {
        guard Signature.verify(signature, message: body.signedBytes, publicKey: body.userPublicKey) else { throw .badSignature }
        if let expectedUser, expectedUser != body.userPublicKey {
            throw .wrongUser(expected: expectedUser.hexString, found: body.userPublicKey.hexString)
        }
        if let expectedDevice, expectedDevice != body.devicePublicKey {
            throw .wrongDevice(expected: expectedDevice.hexString, found: body.devicePublicKey.hexString)
        }
        let (later, o1) = now.addingReportingOverflow(allowedClockSkew)
        if !o1, body.issuedAt > later { throw .notYetValid(issuedAt: body.issuedAt, now: now) }
        let (earlier, o2) = now.subtractingReportingOverflow(allowedClockSkew)
        if !o2, body.expiresAt <= earlier { throw .expired(expiresAt: body.expiresAt, now: now) }
        if let entry = revocations.revocation(of: body.devicePublicKey, by: body.userPublicKey), entry.body.revokedAt <= now {
            throw .revoked(revokedAt: entry.body.revokedAt, reason: entry.body.reason)
        }
    }
}
