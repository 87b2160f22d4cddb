import VeectorCrypto

/// Noise's SymmetricState for `BLAKE2b` (HASHLEN 64): the chaining key, the handshake hash and
/// the cipher state the handshake encrypts with (Noise rev 34, §5.2).
struct NoiseSymmetricState: Sendable {
    static let hashLength = 64
    private(set) var chainingKey: [UInt8]
    private(set) var handshakeHash: [UInt8]
    private(set) var cipher = NoiseCipherState(key: nil)

    init(protocolName: [UInt8]) {
        if protocolName.count <= Self.hashLength {
            handshakeHash = protocolName + [UInt8](repeating: 0, count: Self.hashLength - protocolName.count)
        } else {
            handshakeHash = GenericHash.hash(protocolName, outputLength: Self.hashLength)
        }
        chainingKey = handshakeHash
    }

    /// HKDF(chaining_key, input_key_material, 2 or 3) with HMAC-BLAKE2b.
    static func hkdf(_ chainingKey: [UInt8], _ ikm: [UInt8], outputs: Int) -> [[UInt8]] {
        let temp = HMACBLAKE2b.authenticate(key: chainingKey, message: ikm)
        var out: [[UInt8]] = []
        var previous: [UInt8] = []
        for i in 1...outputs {
            previous = HMACBLAKE2b.authenticate(key: temp, messageParts: [previous, [UInt8(i)]])
            out.append(previous)
        }
        return out
    }

    mutating func mixHash(_ data: [UInt8]) {
        var h = GenericHasher(outputLength: Self.hashLength)
        h.update(handshakeHash)
        h.update(data)
        handshakeHash = h.finalize()
    }

    mutating func mixKey(_ inputKeyMaterial: [UInt8]) {
        let out = Self.hkdf(chainingKey, inputKeyMaterial, outputs: 2)
        chainingKey = out[0]
        cipher = NoiseCipherState(key: try! SecretKey(bytes: Array(out[1][0..<32])))
    }

    mutating func encryptAndHash(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let ciphertext = try cipher.encrypt(plaintext, ad: handshakeHash)
        mixHash(ciphertext)
        return ciphertext
    }

    mutating func decryptAndHash(_ ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let plaintext = try cipher.decrypt(ciphertext, ad: handshakeHash)
        mixHash(ciphertext)
        return plaintext
    }

    /// The two transport cipher states: initiator→responder, then responder→initiator.
    func split() -> (NoiseCipherState, NoiseCipherState) {
        let out = Self.hkdf(chainingKey, [], outputs: 2)
        return (NoiseCipherState(key: try! SecretKey(bytes: Array(out[0][0..<32]))),
                NoiseCipherState(key: try! SecretKey(bytes: Array(out[1][0..<32]))))
    }
}
