/// Turns typed KRPC messages into canonical bencode.
extension KRPCMessage {
    /// The message as a bencode dictionary.
    public var bencodeValue: BencodeValue {
        var top: [String: BencodeValue] = ["t": .bytes(transactionID)]
        switch body {
        case let .query(q):
            top["y"] = "q"
            top["q"] = .string(q.method)
            top["a"] = .dict(q.arguments)
        case let .response(r):
            top["y"] = "r"
            top["r"] = .dict(r.fields)
        case let .error(e):
            top["y"] = "e"
            top["e"] = .list([.integer(e.code), .bytes(e.message)])
        }
        if let clientVersion { top["v"] = .bytes(clientVersion) }
        if let externalAddress { top["ip"] = .bytes(externalAddress.compact) }
        if readOnly { top["ro"] = 1 }
        return .dict(top)
    }

    /// The datagram payload.
    public func encoded() -> [UInt8] { bencodeValue.encoded() }
}

extension KRPCQuery {
    /// The `a` dictionary.
    var arguments: [String: BencodeValue] {
        switch self {
        case let .ping(id):
            return ["id": .bytes(id.bytes)]
        case let .findNode(id, target):
            return ["id": .bytes(id.bytes), "target": .bytes(target.bytes)]
        case let .getPeers(id, infoHash):
            return ["id": .bytes(id.bytes), "info_hash": .bytes(infoHash.bytes)]
        case let .announcePeer(a):
            var d: [String: BencodeValue] = ["id": .bytes(a.id.bytes), "info_hash": .bytes(a.infoHash.bytes),
                                             "port": .integer(Int64(a.port)), "token": .bytes(a.token)]
            if a.impliedPort { d["implied_port"] = 1 }
            return d
        case let .get(a):
            var d: [String: BencodeValue] = ["id": .bytes(a.id.bytes), "target": .bytes(a.target.bytes)]
            if let seq = a.seq { d["seq"] = .integer(seq) }
            return d
        case let .put(a):
            var d: [String: BencodeValue] = ["id": .bytes(a.id.bytes), "token": .bytes(a.token)]
            switch a.item {
            case let .immutable(v):
                d["v"] = v
            case let .mutable(m):
                d["v"] = m.value
                d["k"] = .bytes(m.publicKey)
                d["sig"] = .bytes(m.signature)
                d["seq"] = .integer(m.seq)
                if !m.salt.isEmpty { d["salt"] = .bytes(m.salt) }
                if let cas = a.cas { d["cas"] = .integer(cas) }
            }
            return d
        }
    }
}

extension KRPCResponse {
    /// The `r` dictionary.
    var fields: [String: BencodeValue] {
        var d: [String: BencodeValue] = ["id": .bytes(id.bytes)]
        if let nodes { d["nodes"] = .bytes(NodeContact.encodeList(nodes)) }
        if let values { d["values"] = .list(values.map { .bytes($0.compact) }) }
        if let token { d["token"] = .bytes(token) }
        if let value { d["v"] = value }
        if let publicKey { d["k"] = .bytes(publicKey) }
        if let signature { d["sig"] = .bytes(signature) }
        if let seq { d["seq"] = .integer(seq) }
        return d
    }
}
