import ContentID
import VeectorCrypto
import VeectorWire

/// One signed gossip message: who wrote it (Ed25519 author key), on which topic, the author's
/// sequence number and Unix-millisecond timestamp, the payload's CID and length, the payload itself
/// when small, and the author's signature. Its `id` is the SHA-256 of the signed body, so the same
/// message relayed or republished is always recognised (`Spec/gossip.md`, "Envelope").
public struct GossipEnvelope: Hashable, Sendable {
    /// The author (whose key signed the body).
    public let author: GossipPeer
    /// The topic it was published on.
    public let topic: GossipTopic
    /// The author's sequence number on this topic.
    public let sequence: UInt64
    /// When the author published it, in Unix milliseconds.
    public let timestamp: UInt64
    /// The content ID of the payload (CIDv1, sha2-256).
    public let payloadCID: CID
    /// The payload's length in bytes.
    public let payloadLength: UInt64
    /// The payload, when it travels inline; nil for a pointer.
    public let inlinePayload: [UInt8]?
    /// The author's Ed25519 signature of `GossipLimits.signingContext` followed by the body.
    public let signature: [UInt8]
    /// The message's identity: SHA-256 of the canonical body.
    public let id: GossipMessageID
    /// The canonical bencoding of the body (every field but the signature).
    let body: [UInt8]

    /// Signs a new envelope as `keys`. Fails if a number exceeds `Int64.max` or the inline payload
    /// exceeds `GossipLimits.maxInlinePayload`.
    public static func sign(_ keys: SigningKeyPair, topic: GossipTopic, sequence: UInt64, timestamp: UInt64,
                            payload: GossipPayload) throws(GossipError) -> GossipEnvelope {
        guard sequence <= UInt64(Int64.max) else { throw .valueOutOfRange(field: "sequence", value: sequence) }
        guard timestamp <= UInt64(Int64.max) else { throw .valueOutOfRange(field: "timestamp", value: timestamp) }
        let cid: CID, length: UInt64, inline: [UInt8]?
        switch payload {
        case let .inline(bytes):
            guard bytes.count <= GossipLimits.maxInlinePayload else {
                throw .payloadTooLarge(bytes: bytes.count, limit: GossipLimits.maxInlinePayload)
            }
            cid = CID.sha256(of: bytes); length = UInt64(bytes.count); inline = bytes
        case let .pointer(c, l):
            guard l <= UInt64(Int64.max) else { throw .valueOutOfRange(field: "length", value: l) }
            cid = c; length = l; inline = nil
        }
        let author = GossipPeer(keys)
        let body = Self.bodyValue(author: author, topic: topic, sequence: sequence, timestamp: timestamp,
                                  cid: cid, length: length, inline: inline).encoded()
        let signature = keys.sign(GossipLimits.signingContext + body)
        return GossipEnvelope(author: author, topic: topic, sequence: sequence, timestamp: timestamp, payloadCID: cid,
                              payloadLength: length, inlinePayload: inline, signature: signature,
                              id: .of(body: body), body: body)
    }

    private init(author: GossipPeer, topic: GossipTopic, sequence: UInt64, timestamp: UInt64, payloadCID: CID,
                 payloadLength: UInt64, inlinePayload: [UInt8]?, signature: [UInt8], id: GossipMessageID, body: [UInt8]) {
        self.author = author; self.topic = topic; self.sequence = sequence; self.timestamp = timestamp
        self.payloadCID = payloadCID; self.payloadLength = payloadLength; self.inlinePayload = inlinePayload
        self.signature = signature; self.id = id; self.body = body
    }

    /// Reads an envelope from its bencoded dictionary, checking the schema (not the signature: see
    /// `hasValidSignature`). `field` names it in errors.
    public init(bencode value: BencodeValue, field: String = "e") throws(GossipWireError) {
        let r = try FieldReader(value, name: field, allowed: ["a", "c", "n", "p", "s", "sig", "t", "ts", "v"])
        try r.version()
        let author = GossipPeer(unchecked: try r.bytes("a", count: 32...32))
        let topic = try r.topic("t")
        let sequence = UInt64(try r.integer("s", in: 0...Int64.max))
        let timestamp = UInt64(try r.integer("ts", in: 0...Int64.max))
        let length = UInt64(try r.integer("n", in: 0...Int64.max))
        let cidBytes = try r.bytes("c", count: 1...GossipLimits.maxCIDBytes)
        let cid: CID
        do { cid = try CID(bytes: cidBytes) } catch {
            throw .invalidField(field + ".c", reason: "not a binary CIDv1: \(error)")
        }
        var inline: [UInt8]?
        if r.optional("p") != nil {
            let p = try r.bytes("p", count: 0...GossipLimits.maxInlinePayload)
            guard UInt64(p.count) == length else {
                throw .invalidField(field + ".n", reason: "says \(length) bytes but the inline payload has \(p.count)")
            }
            inline = p
        }
        let signature = try r.bytes("sig", count: 64...64)
        let body = Self.bodyValue(author: author, topic: topic, sequence: sequence, timestamp: timestamp,
                                  cid: cid, length: length, inline: inline).encoded()
        self.init(author: author, topic: topic, sequence: sequence, timestamp: timestamp, payloadCID: cid,
                  payloadLength: length, inlinePayload: inline, signature: signature, id: .of(body: body), body: body)
    }

    /// The envelope as a bencoded dictionary (the body's fields plus `sig`).
    public var bencode: BencodeValue {
        var d = Self.bodyFields(author: author, topic: topic, sequence: sequence, timestamp: timestamp,
                                cid: payloadCID, length: payloadLength, inline: inlinePayload)
        d[Array("sig".utf8)] = .bytes(signature)
        return .dictionary(d)
    }

    /// True if `signature` is the author's Ed25519 signature of the body.
    public var hasValidSignature: Bool {
        hasValidSignature(checkedBy: .standard)
    }

    /// True for a pointer, or for an inline payload whose SHA-256 CID is `payloadCID`.
    public var payloadMatchesCID: Bool {
        guard let inline = inlinePayload else { return true }
        return CID.sha256(of: inline, codec: payloadCID.codec) == payloadCID
    }

    /// The payload as published: inline bytes or a pointer.
    public var payload: GossipPayload {
        inlinePayload.map { .inline($0) } ?? .pointer(payloadCID, length: payloadLength)
    }

    static func bodyFields(author: GossipPeer, topic: GossipTopic, sequence: UInt64, timestamp: UInt64,
                           cid: CID, length: UInt64, inline: [UInt8]?) -> [[UInt8]: BencodeValue] {
        var d: [[UInt8]: BencodeValue] = [
            Array("a".utf8): .bytes(author.publicKey),
            Array("c".utf8): .bytes(cid.bytes),
            Array("n".utf8): .integer(Int64(length)),
            Array("s".utf8): .integer(Int64(sequence)),
            Array("t".utf8): .bytes(Array(topic.name.utf8)),
            Array("ts".utf8): .integer(Int64(timestamp)),
            Array("v".utf8): .integer(GossipLimits.version),
        ]
        if let inline { d[Array("p".utf8)] = .bytes(inline) }
        return d
    }

    static func bodyValue(author: GossipPeer, topic: GossipTopic, sequence: UInt64, timestamp: UInt64,
                          cid: CID, length: UInt64, inline: [UInt8]?) -> BencodeValue {
        .dictionary(bodyFields(author: author, topic: topic, sequence: sequence, timestamp: timestamp,
                               cid: cid, length: length, inline: inline))
    }
}
