import CSodium

/// An Ed25519 signing identity (a node's or a user's): signs gossip, block announcements and
/// anything whose author must be provable.
///
/// The 32-byte `seed` is the whole secret: keep it, and `init(seed:)` gives the same pair back.
public struct SigningKeyPair: Sendable {
    /// Bytes of a public key.
    public static let publicKeyBytes = 32
    /// Bytes of a seed.
    public static let seedBytes = 32
    /// Bytes of a signature.
    public static let signatureBytes = 64

    /// The public key (32 bytes), safe to publish.
    public let publicKey: [UInt8]
    /// The secret seed (32 bytes) the pair is derived from.
    public let seed: SecretKey
    /// libsodium's expanded secret key (seed || public key), kept so signing needs no re-derivation.
    private let expandedSecret: SecretKey

    /// A new random key pair.
    public static func generate() -> SigningKeyPair {
        let seed = SecretKey.random()
        return seed.withUnsafeBytes { try! SigningKeyPair(seed: Array($0)) }
    }

    /// Rebuilds the key pair from its 32-byte seed (RFC 8032 calls the seed the "secret key").
    public init(seed: [UInt8]) throws(CryptoError) {
        Sodium.ensureInitialized()
        guard seed.count == Self.seedBytes else { throw .invalidKeyLength(expected: Self.seedBytes, got: seed.count) }
        var pk = [UInt8](repeating: 0, count: Self.publicKeyBytes)
        expandedSecret = SecretKey(count: Int(crypto_sign_SECRETKEYBYTES)) { sk in
            _ = crypto_sign_seed_keypair(&pk, sk.baseAddress!.assumingMemoryBound(to: UInt8.self), seed)
        }
        publicKey = pk
        self.seed = try SecretKey(bytes: seed)
    }

    /// Signs `message`; returns a 64-byte detached signature.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { sign($0) }
    }

    /// Signs bytes lent by pointer.
    public func sign(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.signatureBytes) { out, initialized in
            expandedSecret.withUnsafeBytes { sk in
                _ = crypto_sign_detached(out.baseAddress!, nil,
                                         message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                                         sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            initialized = Self.signatureBytes
        }
    }
}

/// Checks Ed25519 signatures made by `SigningKeyPair.sign`.
public enum Signature {
    /// True only if `sig` is a valid signature of `message` by `publicKey`; false for any
    /// malformed input (wrong lengths included), never a crash.
    public static func verify(_ sig: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        message.withUnsafeBytes { verify(sig, message: $0, publicKey: publicKey) }
    }

    /// Verifies a signature over bytes lent by pointer.
    public static func verify(_ sig: [UInt8], message: UnsafeRawBufferPointer, publicKey: [UInt8]) -> Bool {
        Sodium.ensureInitialized()
        guard sig.count == SigningKeyPair.signatureBytes, publicKey.count == SigningKeyPair.publicKeyBytes else { return false }
        return crypto_sign_verify_detached(sig, message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                           UInt64(message.count), publicKey) == 0
    }
}
