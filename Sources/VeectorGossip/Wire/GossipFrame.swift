import VeectorWire

/// One gossip protocol message between two linked peers (`Spec/gossip.md`, "Frames"): a full
/// message, the lazy-repair announcements and requests of the Plumtree-style tree, and topic
/// subscriptions. Encoded as one bencoded dictionary `{v: 1, y: kind, …}` per session frame.
public enum GossipFrame: Hashable, Sendable {
    /// A full message (`y = m`): eager push or the answer to a graft.
    case message(GossipEnvelope)
    /// "I have these messages" (`y = h`), sent to lazy links.
    case ihave(GossipTopic, [GossipMessageID])
    /// "Send me these and push eagerly to me from now on" (`y = g`).
    case graft(GossipTopic, [GossipMessageID])
    /// "I got that twice; only announce lazily to me" (`y = p`).
    case prune(GossipTopic)
    /// The sender follows these topics (`y = s`).
    case subscribe([GossipTopic])
    /// The sender no longer follows these topics (`y = u`).
    case unsubscribe([GossipTopic])

    /// The canonical encoding.
    public func encoded() -> [UInt8] {
        var d: [String: BencodeValue] = ["v": .integer(GossipLimits.version)]
        switch self {
        case let .message(e): d["y"] = "m"; d["e"] = e.bencode
        case let .ihave(t, ids): d["y"] = "h"; d["t"] = .bytes(Array(t.name.utf8)); d["i"] = .list(ids.map { .bytes($0.digest) })
        case let .graft(t, ids): d["y"] = "g"; d["t"] = .bytes(Array(t.name.utf8)); d["i"] = .list(ids.map { .bytes($0.digest) })
        case let .prune(t): d["y"] = "p"; d["t"] = .bytes(Array(t.name.utf8))
        case let .subscribe(ts): d["y"] = "s"; d["t"] = .list(ts.map { .bytes(Array($0.name.utf8)) })
        case let .unsubscribe(ts): d["y"] = "u"; d["t"] = .list(ts.map { .bytes(Array($0.name.utf8)) })
        }
        return BencodeValue.dict(d).encoded()
    }

    /// Decodes and schema-checks one frame of at most `limit` bytes. Envelope signatures are not
    /// checked here (the node does that before delivering or forwarding).
    public init(decoding bytes: [UInt8], limit: Int = GossipLimits.maxFrameBytes) throws(GossipWireError) {
        guard bytes.count <= limit else { throw .frameTooLarge(bytes: bytes.count, limit: limit) }
        let value: BencodeValue
        do { value = try BencodeDecoder(maxDepth: 4).decode(bytes) } catch { throw .malformedBencode(error) }
        guard let d = value.dictionaryValue else { throw .invalidField("frame", reason: "must be a dictionary") }
        guard let kind = d[Array("y".utf8)]?.bytesValue else { throw .missingField("y") }
        switch kind {
        case Array("m".utf8):
            let r = try FieldReader(value, name: "", allowed: ["e", "v", "y"])
            try r.version()
            self = .message(try GossipEnvelope(bencode: r.value("e")))
        case Array("h".utf8), Array("g".utf8):
            let r = try FieldReader(value, name: "", allowed: ["i", "t", "v", "y"])
            try r.version()
            let topic = try r.topic("t")
            let minimum = kind == Array("h".utf8) ? 1 : 0
            var ids: [GossipMessageID] = []
            for (n, item) in try r.list("i", count: minimum...GossipLimits.maxIDsPerFrame).enumerated() {
                guard let b = item.bytesValue, b.count == GossipMessageID.byteCount else {
                    throw .invalidField("i[\(n)]", reason: "a message ID must be 32 bytes")
                }
                ids.append(GossipMessageID(unchecked: b))
            }
            self = kind == Array("h".utf8) ? .ihave(topic, ids) : .graft(topic, ids)
        case Array("p".utf8):
            let r = try FieldReader(value, name: "", allowed: ["t", "v", "y"])
            try r.version()
            self = .prune(try r.topic("t"))
        case Array("s".utf8), Array("u".utf8):
            let r = try FieldReader(value, name: "", allowed: ["t", "v", "y"])
            try r.version()
            var topics: [GossipTopic] = []
            for (n, item) in try r.list("t", count: 1...GossipLimits.maxTopicsPerFrame).enumerated() {
                topics.append(try FieldReader.topic(item, field: "t[\(n)]"))
            }
            self = kind == Array("s".utf8) ? .subscribe(topics) : .unsubscribe(topics)
        default:
            throw .unknownKind(kind)
        }
    }
}
