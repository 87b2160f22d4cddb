import VeectorCrypto

/// A person's identity across all their devices: an Ed25519 key pair whose only job is to
/// certify (and revoke) that person's devices. Kept sealed under the user's vault keys.
public struct UserIdentity: Sendable {
    /// The Ed25519 key pair.
    public let keyPair: SigningKeyPair

    /// Wraps an existing key pair.
    public init(keyPair: SigningKeyPair) { self.keyPair = keyPair }

    /// Rebuilds the identity from its 32-byte seed.
    public init(seed: [UInt8]) throws(IdentityError) {
        do { keyPair = try SigningKeyPair(seed: seed) } catch {
            throw .invalidKey(what: "user seed", expected: SigningKeyPair.seedBytes, got: seed.count)
        }
    }

    /// A new random user identity.
    public static func generate() -> UserIdentity { UserIdentity(keyPair: .generate()) }

    /// The Ed25519 public key (32 bytes) that names this user.
    public var publicKey: [UInt8] { keyPair.publicKey }

    /// Certifies that the device with `devicePublicKey` belongs to this user, from `issuedAt` to
    /// `expiresAt` (Unix seconds, passed in: nothing here reads a clock), with `capabilities`.
    public func issueCertificate(devicePublicKey: [UInt8], deviceName: String, issuedAt: Int64, expiresAt: Int64,
                                 capabilities: [String] = []) throws(IdentityError) -> DeviceCertificate {
        let body = try DeviceCertificate.Body(userPublicKey: publicKey, devicePublicKey: devicePublicKey, deviceName: deviceName,
                                              issuedAt: issuedAt, expiresAt: expiresAt, capabilities: capabilities)
        return DeviceCertificate(body: body, signature: keyPair.sign(body.signedBytes))
    }

    /// Withdraws this user's trust in the device with `devicePublicKey` from `revokedAt` on.
    public func revoke(devicePublicKey: [UInt8], revokedAt: Int64, reason: String = "") throws(IdentityError) -> RevocationEntry {
        let body = try RevocationEntry.Body(userPublicKey: publicKey, devicePublicKey: devicePublicKey, revokedAt: revokedAt, reason: reason)
        return RevocationEntry(body: body, signature: keyPair.sign(body.signedBytes))
    }
}
