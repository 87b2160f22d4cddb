import CSodium

/// An X25519 Diffie-Hellman key pair (libsodium `crypto_scalarmult`), for key agreement in
/// session handshakes: each side combines its secret key with the other's public key and both
/// obtain the same shared secret.
public struct X25519KeyPair: Sendable {
    /// Bytes of a public key, a secret key and a shared secret.
    public static let keyBytes = 32

    /// The public key (32 bytes), sent to the peer.
    public let publicKey: [UInt8]
    /// The secret key (32 bytes).
    public let secretKey: SecretKey

    /// Rebuilds the pair from a 32-byte secret key (the public key is computed from it).
    public init(secretKey: SecretKey) throws(CryptoError) {
        Sodium.ensureInitialized()
        guard secretKey.count == Self.keyBytes else { throw .invalidKeyLength(expected: Self.keyBytes, got: secretKey.count) }
        var pk = [UInt8](repeating: 0, count: Self.keyBytes)
        secretKey.withUnsafeBytes { s in _ = crypto_scalarmult_base(&pk, s.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        self.publicKey = pk
        self.secretKey = secretKey
    }

    /// Rebuilds the pair from 32 secret bytes (for test vectors, and ephemeral keys drawn from an
    /// injected random source by sans-I/O protocol cores).
    public init(secretBytes: [UInt8]) throws(CryptoError) {
        try self.init(secretKey: try SecretKey(bytes: secretBytes))
    }

    /// The shared secret DH(self, peer). Throws `.invalidParameter` if `peerPublicKey` is not 32
    /// bytes or is a low-order point (the result would be all zeros and secret from nobody).
    public func sharedSecret(with peerPublicKey: [UInt8]) throws(CryptoError) -> SecretKey {
        guard peerPublicKey.count == Self.keyBytes else { throw .invalidKeyLength(expected: Self.keyBytes, got: peerPublicKey.count) }
        var ok = false
        let shared = SecretKey(count: Self.keyBytes) { out in
            secretKey.withUnsafeBytes { s in
                ok = crypto_scalarmult(out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                       s.baseAddress!.assumingMemoryBound(to: UInt8.self), peerPublicKey) == 0
            }
        }
        guard ok else { throw .invalidParameter("the peer's X25519 public key is a low-order point; the peer is broken or hostile, drop the connection") }
        return shared
    }
}

extension SigningKeyPair {
    /// The X25519 key pair that shares this Ed25519 key's secret scalar
    /// (`crypto_sign_ed25519_sk_to_curve25519`), so a Diffie-Hellman handshake with it proves
    /// possession of the Ed25519 identity.
    public func x25519KeyPair() -> X25519KeyPair {
        Sodium.ensureInitialized()
        let secret = seed.withUnsafeBytes { seedBytes in
            SecretKey(count: X25519KeyPair.keyBytes) { out in
                var pk = [UInt8](repeating: 0, count: Self.publicKeyBytes)
                let expanded = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(crypto_sign_SECRETKEYBYTES), alignment: 16)
                defer {
                    sodium_memzero(expanded.baseAddress!, expanded.count)
                    expanded.deallocate()
                }
                _ = crypto_sign_seed_keypair(&pk, expanded.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                             seedBytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
                _ = crypto_sign_ed25519_sk_to_curve25519(out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                         expanded.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return try! X25519KeyPair(secretKey: secret)
    }
}

/// Converts Ed25519 public keys to X25519 public keys (`crypto_sign_ed25519_pk_to_curve25519`).
public enum Ed25519ToX25519 {
    /// The X25519 public key of the Ed25519 `publicKey`; throws `.invalidParameter` if the bytes
    /// are not a valid Ed25519 point (or not 32 bytes).
    public static func publicKey(_ publicKey: [UInt8]) throws(CryptoError) -> [UInt8] {
        Sodium.ensureInitialized()
        guard publicKey.count == SigningKeyPair.publicKeyBytes else {
            throw .invalidKeyLength(expected: SigningKeyPair.publicKeyBytes, got: publicKey.count)
        }
        var out = [UInt8](repeating: 0, count: X25519KeyPair.keyBytes)
        guard crypto_sign_ed25519_pk_to_curve25519(&out, publicKey) == 0 else {
            throw .invalidParameter("the bytes are not a valid Ed25519 public key; ask the peer for its key again")
        }
        return out
    }
}
