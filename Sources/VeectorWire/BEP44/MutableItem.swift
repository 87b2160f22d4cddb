import VeectorCrypto

/// A BEP 44 mutable item: a value signed with an Ed25519 key, versioned by `seq`, and stored
/// under SHA-1(public key + salt). Veector publishes device endpoints and improvement heads this way.
public struct MutableItem: Hashable, Sendable {
    /// Bytes in `publicKey`.
    public static let publicKeyBytes = 32
    /// Bytes in `signature`.
    public static let signatureBytes = 64

    /// `k`: the signer's Ed25519 public key.
    public var publicKey: [UInt8]
    /// `salt`: lets one key publish many items (empty = none).
    public var salt: [UInt8]
    /// `seq`: the version; stores keep the highest.
    public var seq: Int64
    /// `v`: the value.
    public var value: BencodeValue
    /// `sig`: Ed25519 signature over `BEP44.signedBuffer(salt:seq:value:)`.
    public var signature: [UInt8]

    /// Wraps the parts of an item (the signature is not checked; see `isSignatureValid`).
    public init(publicKey: [UInt8], salt: [UInt8] = [], seq: Int64, value: BencodeValue, signature: [UInt8]) {
        self.publicKey = publicKey
        self.salt = salt
        self.seq = seq
        self.value = value
        self.signature = signature
    }

    /// Signs `value` as version `seq` with `keyPair`.
    public static func signed(value: BencodeValue, seq: Int64, salt: [UInt8] = [], keyPair: SigningKeyPair) -> MutableItem {
        let sig = keyPair.sign(BEP44.signedBuffer(salt: salt, seq: seq, value: value))
        return MutableItem(publicKey: keyPair.publicKey, salt: salt, seq: seq, value: value, signature: sig)
    }

    /// Signs with the key pair rebuilt from a 32-byte Ed25519 seed; nil if the seed is not 32 bytes.
    public static func signed(value: BencodeValue, seq: Int64, salt: [UInt8] = [], seed: [UInt8]) -> MutableItem? {
        guard let pair = try? SigningKeyPair(seed: seed) else { return nil }
        return signed(value: value, seq: seq, salt: salt, keyPair: pair)
    }

    /// The bytes the signature covers.
    public var signedBuffer: [UInt8] { BEP44.signedBuffer(salt: salt, seq: seq, value: value) }

    /// The target this item is stored under.
    public var target: NodeID { BEP44.mutableTarget(publicKey: publicKey, salt: salt) }

    /// True only if `signature` is `publicKey`'s valid signature of `signedBuffer`.
    public var isSignatureValid: Bool { Signature.verify(signature, message: signedBuffer, publicKey: publicKey) }
}
