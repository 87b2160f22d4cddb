/// BEP 44 ("Storing arbitrary data in the DHT") rules: targets, limits and the exact bytes a
/// mutable item's signature covers.
public enum BEP44 {
    /// Largest bencoded `v` a node accepts (error 205 beyond it).
    public static let maxValueBytes = 1000
    /// Largest salt (error 207 beyond it).
    public static let maxSaltBytes = 64

    /// Target of an immutable item: SHA-1 of the bencoded value.
    public static func immutableTarget(value: BencodeValue) -> NodeID {
        NodeID(unchecked: SHA1.hash(value.encoded()))
    }

    /// Target of a mutable item: SHA-1 of the public key followed by the salt (if any).
    public static func mutableTarget(publicKey: [UInt8], salt: [UInt8] = []) -> NodeID {
        NodeID(unchecked: SHA1.hash(publicKey + salt))
    }

    /// The bytes a mutable item's Ed25519 signature covers:
    /// `4:salt<len>:<salt>` (only if the salt is non-empty) `3:seqi<seq>e1:v<bencoded value>` —
    /// the bencoded dictionary's entries without its `d`/`e`.
    public static func signedBuffer(salt: [UInt8], seq: Int64, value: BencodeValue) -> [UInt8] {
        var out: [UInt8] = []
        if !salt.isEmpty {
            BencodeValue.appendString(Array("salt".utf8), to: &out)
            BencodeValue.appendString(salt, to: &out)
        }
        BencodeValue.appendString(Array("seq".utf8), to: &out)
        BencodeValue.integer(seq).encode(into: &out)
        BencodeValue.appendString(Array("v".utf8), to: &out)
        value.encode(into: &out)
        return out
    }

    /// The error a storing node must answer a `put` with, or nil if the item may be considered
    /// for storage (size limits, then the signature of a mutable item; `seq`/`cas` against the
    /// stored item are the store's business).
    public static func rejection(of item: DHTItem) -> KRPCErrorMessage? {
        switch item {
        case let .immutable(v):
            if v.encoded().count > maxValueBytes { return KRPCErrorMessage(code: KRPCErrorMessage.valueTooBigCode, "Message (v field) too big.") }
        case let .mutable(m):
            if m.value.encoded().count > maxValueBytes { return KRPCErrorMessage(code: KRPCErrorMessage.valueTooBigCode, "Message (v field) too big.") }
            if m.salt.count > maxSaltBytes { return KRPCErrorMessage(code: KRPCErrorMessage.saltTooBigCode, "salt (salt field) too big.") }
            if !m.isSignatureValid { return KRPCErrorMessage(code: KRPCErrorMessage.invalidSignatureCode, "invalid signature") }
        }
        return nil
    }
}
