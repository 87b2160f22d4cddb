import VeectorCrypto
import VeectorGossip
import VeectorWire

/// A deliberate gossip adversary, for test networks only (`veenode start --misbehave forge|garbage`):
/// what the fault-isolation tests run on real processes. Honest nodes must drop everything it sends,
/// score it down and graylist it.
public struct GossipMisbehaviour: Sendable {
    /// What the adversary does.
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Sends well-formed, fresh messages that name an honest peer as author but carry its own
        /// signature, and relays genuine messages with their payload altered.
        case forge
        /// Sends random bytes instead of gossip frames (a third start like a bencoded dictionary).
        case garbage

        /// The kind's name.
        public var description: String { rawValue }
    }

    /// The kind.
    public let kind: Kind
    let keys: SigningKeyPair
    var serial: UInt64 = 0
    var random = SeededGeneratorBox()

    init(kind: Kind, keys: SigningKeyPair) {
        self.kind = kind
        self.keys = keys
    }

    /// What the adversary sends instead of an outgoing frame: message frames altered (forge) or
    /// replaced by garbage; other frames unchanged so its links stay up long enough to do harm.
    func tamper(_ frame: [UInt8]) -> [UInt8]? {
        guard case let .message(envelope)? = try? GossipFrame(decoding: frame) else { return nil }
        switch kind {
        case .garbage: return random.garbage()
        case .forge:
            guard var payload = envelope.inlinePayload, !payload.isEmpty else { return nil }
            payload[payload.count / 2] ^= 0x20
            return Self.altered(envelope, "p", .bytes(payload)).map { GossipFrame.message($0).encoded() }
        }
    }

    /// One attack frame for `victim` (a linked peer whose key a forgery names as author).
    mutating func attackFrame(topic: GossipTopic, victim: GossipPeer, unixMillis: UInt64) -> [UInt8] {
        switch kind {
        case .garbage: return random.garbage()
        case .forge:
            serial += 1
            guard let own = try? GossipEnvelope.sign(keys, topic: topic, sequence: serial, timestamp: unixMillis,
                                                     payload: .inline(Array("forged \(serial)".utf8))),
                  let forged = Self.altered(own, "a", .bytes(victim.publicKey)) else { return random.garbage() }
            return GossipFrame.message(forged).encoded()
        }
    }

    /// `envelope` with one field replaced, its signature left as it was.
    static func altered(_ envelope: GossipEnvelope, _ key: String, _ value: BencodeValue) -> GossipEnvelope? {
        guard var d = envelope.bencode.dictionaryValue else { return nil }
        d[Array(key.utf8)] = value
        return try? GossipEnvelope(bencode: .dictionary(d))
    }
}

/// Random bytes for the adversary (not a protocol core: system randomness is fine here).
struct SeededGeneratorBox: Sendable {
    func garbage() -> [UInt8] {
        var b = SecureRandom.bytes(1 + Int(SecureRandom.bytes(1)[0]))
        if b[0] % 3 == 0 { b[0] = UInt8(ascii: "d") }
        return b
    }
}
