import VeectorCrypto

/// Noise's HandshakeState for `Noise_<pattern>_25519_ChaChaPoly_BLAKE2b` (Noise rev 34, §5.3),
/// built from libsodium primitives: X25519, ChaCha20-Poly1305 (IETF), BLAKE2b and HMAC-BLAKE2b.
///
/// Sans-I/O: ephemeral keys come from the random source passed to `writeMessage` (or are fixed
/// at creation, for test vectors). After the last message, `split()` gives the transport ciphers.
public struct NoiseHandshake: Sendable {
    /// Noise's limit on any message.
    public static let maxMessageLength = 65535

    /// The pattern being run.
    public let pattern: NoisePattern
    /// True for the party that sends the first message.
    public let isInitiator: Bool
    private var symmetric: NoiseSymmetricState
    private let localStatic: X25519KeyPair?
    private var localEphemeral: X25519KeyPair?
    private var fixedEphemeral: X25519KeyPair?
    /// The peer's static public key, once received.
    public private(set) var remoteStaticKey: [UInt8]?
    /// The peer's ephemeral public key, once received.
    public private(set) var remoteEphemeralKey: [UInt8]?
    private var messageIndex = 0

    /// Starts a handshake. `localStatic` is required if the pattern sends `s` from this side.
    /// `fixedEphemeral` replaces the random ephemeral key (test vectors only: reusing one
    /// ephemeral key across sessions destroys their secrecy).
    public init(pattern: NoisePattern, initiator: Bool, prologue: [UInt8], localStatic: X25519KeyPair?,
                fixedEphemeral: X25519KeyPair? = nil) {
        self.pattern = pattern
        self.isInitiator = initiator
        self.localStatic = localStatic
        self.fixedEphemeral = fixedEphemeral
        symmetric = NoiseSymmetricState(protocolName: Array(pattern.protocolName.utf8))
        symmetric.mixHash(prologue)
    }

    /// The index (0-based) of the next message to write or read.
    public var nextMessageIndex: Int { messageIndex }
    /// True once every message of the pattern has been written or read.
    public var isComplete: Bool { messageIndex >= pattern.messages.count }
    /// True if the next message is ours to write.
    public var isOurTurn: Bool { !isComplete && (messageIndex % 2 == 0) == isInitiator }
    /// The handshake hash `h` (64 bytes): after completion, a unique channel binding of the session.
    public var handshakeHash: [UInt8] { symmetric.handshakeHash }

    private func dh(_ local: X25519KeyPair?, _ remote: [UInt8]?, _ token: String) throws(NoiseError) -> [UInt8] {
        guard let local, let remote else { throw .outOfTurn("token \(token) needs keys that are not there yet") }
        do { return try local.sharedSecret(with: remote).withUnsafeBytes { Array($0) } } catch {
            throw .invalidPeerKey(error.description)
        }
    }

    private mutating func mix(_ token: NoisePattern.Token) throws(NoiseError) {
        switch token {
        case .ee: symmetric.mixKey(try dh(localEphemeral, remoteEphemeralKey, "ee"))
        case .ss: symmetric.mixKey(try dh(localStatic, remoteStaticKey, "ss"))
        case .es:
            symmetric.mixKey(isInitiator ? try dh(localEphemeral, remoteStaticKey, "es") : try dh(localStatic, remoteEphemeralKey, "es"))
        case .se:
            symmetric.mixKey(isInitiator ? try dh(localStatic, remoteEphemeralKey, "se") : try dh(localEphemeral, remoteStaticKey, "se"))
        case .e, .s: break
        }
    }

    /// Writes the next handshake message carrying `payload` (encrypted once a key is mixed in).
    public mutating func writeMessage(payload: [UInt8], rng: inout some RandomNumberGenerator) throws(NoiseError) -> [UInt8] {
        guard isOurTurn else { throw .outOfTurn(isComplete ? "the handshake is complete" : "it is the peer's turn to write") }
        var out: [UInt8] = []
        for token in pattern.messages[messageIndex] {
            switch token {
            case .e:
                let e: X25519KeyPair
                if let fixed = fixedEphemeral { e = fixed } else {
                    var secret = [UInt8](repeating: 0, count: 32)
                    for i in secret.indices { secret[i] = UInt8.random(in: .min ... .max, using: &rng) }
                    e = try! X25519KeyPair(secretBytes: secret)
                    for i in secret.indices { secret[i] = 0 }
                }
                localEphemeral = e
                out += e.publicKey
                symmetric.mixHash(e.publicKey)
            case .s:
                guard let s = localStatic else { throw .outOfTurn("the pattern sends a static key but none was given") }
                out += try symmetric.encryptAndHash(s.publicKey)
            default:
                try mix(token)
            }
        }
        out += try symmetric.encryptAndHash(payload)
        guard out.count <= Self.maxMessageLength else { throw .messageTooLong(out.count) }
        messageIndex += 1
        return out
    }

    /// Reads the peer's next handshake message and returns its decrypted payload.
    public mutating func readMessage(_ message: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard !isComplete, !isOurTurn else { throw .outOfTurn(isComplete ? "the handshake is complete" : "it is our turn to write") }
        guard message.count <= Self.maxMessageLength else { throw .messageTooLong(message.count) }
        var offset = 0
        func take(_ n: Int) throws(NoiseError) -> [UInt8] {
            guard message.count - offset >= n else { throw .truncated(needed: offset + n, got: message.count) }
            defer { offset += n }
            return Array(message[offset..<(offset + n)])
        }
        for token in pattern.messages[messageIndex] {
            switch token {
            case .e:
                let re = try take(32)
                remoteEphemeralKey = re
                symmetric.mixHash(re)
            case .s:
                let sealed = try take(symmetric.cipher.hasKey ? 48 : 32)
                remoteStaticKey = try symmetric.decryptAndHash(sealed)
            default:
                try mix(token)
            }
        }
        let payload = try symmetric.decryptAndHash(Array(message[offset...]))
        messageIndex += 1
        return payload
    }

    /// The transport cipher states (send, receive) for this side. Only after completion.
    public func split() throws(NoiseError) -> (send: NoiseCipherState, receive: NoiseCipherState) {
        guard isComplete else { throw .outOfTurn("split before the handshake is complete") }
        let (c1, c2) = symmetric.split()
        return isInitiator ? (c1, c2) : (c2, c1)
    }
}
