/// Reads KRPC messages from bencode, rejecting anything malformed and ignoring unknown keys.
extension KRPCMessage {
    /// Decodes one datagram. `decoder` sets the bencode strictness (strict by default).
    public init(decoding bytes: [UInt8], decoder: BencodeDecoder = BencodeDecoder()) throws(KRPCDecodeError) {
        let value: BencodeValue
        do { value = try decoder.decode(bytes) } catch { throw KRPCDecodeError(.bencode(error)) }
        try self.init(value)
    }

    /// Decodes an already parsed bencode value.
    public init(_ value: BencodeValue) throws(KRPCDecodeError) {
        guard let top = value.dictionaryValue else { throw KRPCDecodeError(.notADictionary(key: "")) }
        var r = FieldReader(dict: top, path: "", transactionID: nil)
        let t = try r.bytes("t")
        r.transactionID = t
        let y = try r.bytes("y")
        let version = try r.optionalBytes("v")
        let ip = try r.optionalBytes("ip", length: PeerAddress.compactBytes).map { PeerAddress(compact: $0)! }
        let ro = try r.optionalInteger("ro")
        let body: Body
        switch y {
        case Array("q".utf8):
            let method = try r.bytes("q")
            body = .query(try KRPCQuery(method: method, arguments: try r.dictionary("a")))
        case Array("r".utf8):
            body = .response(try KRPCResponse(try r.dictionary("r")))
        case Array("e".utf8):
            guard let list = top[Array("e".utf8)] else { throw r.fail(.missingKey("e")) }
            guard let items = list.listValue, items.count >= 2,
                  let code = items[0].integerValue, let message = items[1].bytesValue else {
                throw r.fail(.wrongType(key: "e"))
            }
            body = .error(KRPCErrorMessage(code: code, message: message))
        default:
            throw r.fail(.unknownMessageType(y))
        }
        self.init(transactionID: t, body: body, clientVersion: version, externalAddress: ip, readOnly: ro == 1)
    }
}

extension KRPCQuery {
    /// Builds a query from its method name and `a` dictionary.
    init(method: [UInt8], arguments a: FieldReader) throws(KRPCDecodeError) {
        let id = try a.nodeID("id")
        switch String(decoding: method, as: UTF8.self) {
        case "ping":
            self = .ping(id: id)
        case "find_node":
            self = .findNode(id: id, target: try a.nodeID("target"))
        case "get_peers":
            self = .getPeers(id: id, infoHash: try a.nodeID("info_hash"))
        case "announce_peer":
            let implied = try a.optionalInteger("implied_port").map { $0 != 0 } ?? false
            let port: Int64? = try a.optionalInteger("port")
            guard let port = port ?? (implied ? 0 : nil) else { throw a.fail(.missingKey(a.path + "port")) }
            guard let p = UInt16(exactly: port) else { throw a.fail(.invalidValue(key: a.path + "port")) }
            self = .announcePeer(AnnouncePeerArguments(id: id, infoHash: try a.nodeID("info_hash"), port: p,
                                                       impliedPort: implied, token: try a.bytes("token")))
        case "get":
            self = .get(GetArguments(id: id, target: try a.nodeID("target"), seq: try a.optionalInteger("seq")))
        case "put":
            let token = try a.bytes("token")
            guard let v = a.dict[Array("v".utf8)] else { throw a.fail(.missingKey(a.path + "v")) }
            if let k = try a.optionalBytes("k", length: MutableItem.publicKeyBytes) {
                let sig = try a.bytes("sig", length: MutableItem.signatureBytes)
                guard let seq = try a.optionalInteger("seq") else { throw a.fail(.missingKey(a.path + "seq")) }
                let salt = try a.optionalBytes("salt") ?? []
                let item = MutableItem(publicKey: k, salt: salt, seq: seq, value: v, signature: sig)
                self = .put(PutArguments(id: id, token: token, item: .mutable(item), cas: try a.optionalInteger("cas")))
            } else {
                self = .put(PutArguments(id: id, token: token, item: .immutable(v)))
            }
        default:
            throw a.fail(.unknownMethod(method))
        }
    }
}

extension KRPCResponse {
    /// Builds a reply from its `r` dictionary.
    init(_ r: FieldReader) throws(KRPCDecodeError) {
        id = try r.nodeID("id")
        if let raw = try r.optionalBytes("nodes") {
            guard let list = NodeContact.decodeList(raw) else { throw r.fail(.invalidValue(key: r.path + "nodes")) }
            nodes = list
        }
        if let list = r.dict[Array("values".utf8)] {
            guard let items = list.listValue else { throw r.fail(.wrongType(key: r.path + "values")) }
            var peers: [PeerAddress] = []
            for item in items {
                guard let b = item.bytesValue else { throw r.fail(.wrongType(key: r.path + "values")) }
                guard let peer = PeerAddress(compact: b) else {
                    throw r.fail(.wrongLength(key: r.path + "values", expected: PeerAddress.compactBytes, got: b.count))
                }
                peers.append(peer)
            }
            values = peers
        }
        token = try r.optionalBytes("token")
        value = r.dict[Array("v".utf8)]
        publicKey = try r.optionalBytes("k", length: MutableItem.publicKeyBytes)
        signature = try r.optionalBytes("sig", length: MutableItem.signatureBytes)
        seq = try r.optionalInteger("seq")
    }
}

/// Typed access to one dictionary's fields, producing errors with the key path and `t`.
struct FieldReader {
    let dict: [[UInt8]: BencodeValue]
    let path: String
    var transactionID: [UInt8]?

    func fail(_ reason: KRPCDecodeError.Reason) -> KRPCDecodeError { KRPCDecodeError(reason, transactionID: transactionID) }

    func bytes(_ key: String, length: Int? = nil) throws(KRPCDecodeError) -> [UInt8] {
        guard let b = try optionalBytes(key, length: length) else { throw fail(.missingKey(path + key)) }
        return b
    }

    func optionalBytes(_ key: String, length: Int? = nil) throws(KRPCDecodeError) -> [UInt8]? {
        guard let v = dict[Array(key.utf8)] else { return nil }
        guard let b = v.bytesValue else { throw fail(.wrongType(key: path + key)) }
        if let length, b.count != length { throw fail(.wrongLength(key: path + key, expected: length, got: b.count)) }
        return b
    }

    func optionalInteger(_ key: String) throws(KRPCDecodeError) -> Int64? {
        guard let v = dict[Array(key.utf8)] else { return nil }
        guard let i = v.integerValue else { throw fail(.wrongType(key: path + key)) }
        return i
    }

    func nodeID(_ key: String) throws(KRPCDecodeError) -> NodeID {
        NodeID(unchecked: try bytes(key, length: NodeID.byteCount))
    }

    func dictionary(_ key: String) throws(KRPCDecodeError) -> FieldReader {
        guard let v = dict[Array(key.utf8)] else { throw fail(.missingKey(path + key)) }
        guard let d = v.dictionaryValue else { throw fail(.notADictionary(key: path + key)) }
        return FieldReader(dict: d, path: path + key + ".", transactionID: transactionID)
    }
}
