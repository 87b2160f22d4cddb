import CSodium

/// An X25519 key pair for receiving sealed boxes (e.g. a user's "inbox" key for shared documents).
public struct BoxKeyPair: Sendable {
    /// Bytes of a public or secret key.
    public static let keyBytes = 32

    /// The public key (32 bytes): give it to anyone who should be able to send you secrets.
    public let publicKey: [UInt8]
    /// The secret key (32 bytes): opens boxes sealed to `publicKey`.
    public let secretKey: SecretKey

    /// A new random key pair.
    public static func generate() -> BoxKeyPair {
        Sodium.ensureInitialized()
        var pk = [UInt8](repeating: 0, count: keyBytes)
        let sk = SecretKey(count: keyBytes) { s in
            _ = crypto_box_keypair(&pk, s.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return BoxKeyPair(publicKey: pk, secretKey: sk)
    }

    /// Rebuilds the pair from its secret key (the public key is computed from it).
    public init(secretKey: SecretKey) throws(CryptoError) {
        Sodium.ensureInitialized()
        guard secretKey.count == Self.keyBytes else { throw .invalidKeyLength(expected: Self.keyBytes, got: secretKey.count) }
        var pk = [UInt8](repeating: 0, count: Self.keyBytes)
        secretKey.withUnsafeBytes { s in
            _ = crypto_scalarmult_base(&pk, s.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        self.init(publicKey: pk, secretKey: secretKey)
    }

    private init(publicKey: [UInt8], secretKey: SecretKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}

/// Anonymous public-key encryption (libsodium `crypto_box_seal`): anyone with a recipient's
/// public key can seal a message that only the recipient's secret key opens. For sharing a
/// document key with another user.
public enum SealedBox {
    /// Bytes a sealed box adds to its message (ephemeral public key + MAC).
    public static let overheadBytes = crypto_box_sealbytes()

    /// Seals `message` to `recipientPublicKey`. Throws if the key is not 32 bytes or is a weak
    /// (low-order) point that libsodium refuses.
    public static func seal(_ message: [UInt8], to recipientPublicKey: [UInt8]) throws(CryptoError) -> [UInt8] {
        Sodium.ensureInitialized()
        guard recipientPublicKey.count == BoxKeyPair.keyBytes else {
            throw .invalidKeyLength(expected: BoxKeyPair.keyBytes, got: recipientPublicKey.count)
        }
        let total = message.count + overheadBytes
        var ok = false
        let sealed = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            ok = crypto_box_seal(out.baseAddress!, message, UInt64(message.count), recipientPublicKey) == 0
            initialized = ok ? total : 0
        }
        guard ok else { throw .invalidParameter("the recipient public key is not a usable X25519 key; ask the recipient for their key again") }
        return sealed
    }

    /// Opens a box sealed to `recipient.publicKey`; throws `.authenticationFailed` if it was
    /// sealed to someone else or changed, `.truncated` if it is too short.
    public static func open(_ sealed: [UInt8], recipient: BoxKeyPair) throws(CryptoError) -> [UInt8] {
        Sodium.ensureInitialized()
        guard sealed.count >= overheadBytes else { throw .truncated(needed: overheadBytes, got: sealed.count) }
        let count = sealed.count - overheadBytes
        var ok = false
        let message = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            ok = recipient.secretKey.withUnsafeBytes { sk in
                crypto_box_seal_open(out.baseAddress, sealed, UInt64(sealed.count), recipient.publicKey,
                                     sk.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
            }
            initialized = ok ? count : 0
        }
        guard ok else { throw .authenticationFailed }
        return message
    }
}
