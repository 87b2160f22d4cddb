import VeectorWire

/// Persistence: the routing table's nodes and the owned records as one bencoded value, which the
/// node stores wherever it keeps state and hands back on the next start.
extension DHTNode {
    /// The snapshot format version.
    public static let snapshotVersion: Int64 = 1

    /// The routing table's nodes (not bad ones) and the owned records, bencoded.
    public func snapshot() -> [UInt8] {
        let nodes = routingTable.allEntries.filter { $0.failures < configuration.routing.maxFailures }.map(\.contact)
        let records: [BencodeValue] = owned.map { Self.encode($0.record) }
        let dict: BencodeValue = .dict([
            "version": .integer(Self.snapshotVersion),
            "id": .bytes(ownID.bytes),
            "nodes": .bytes(NodeContact.encodeList(nodes)),
            "owned": .list(records),
        ])
        return dict.encoded()
    }

    /// A node restored from `snapshot()` bytes: its nodes are inserted as heard from at `now`
    /// (liveness checks weed out the dead) and its owned records are republished at the first
    /// republish check. `ownID` may differ from the snapshot's (a new external address).
    public init(ownID: NodeID, configuration: DHTConfiguration = DHTConfiguration(), snapshot bytes: [UInt8], now: Instant,
                rng: inout some RandomNumberGenerator) throws(DHTSnapshotError) {
        self.init(ownID: ownID, configuration: configuration, now: now, rng: &rng)
        let value: BencodeValue
        do { value = try BencodeDecoder().decode(bytes) } catch {
            throw DHTSnapshotError(field: "(top)", problem: "not bencode (\(error))")
        }
        guard value.dictionaryValue != nil else { throw DHTSnapshotError(field: "(top)", problem: "not a dictionary") }
        guard let version = value["version"]?.integerValue else { throw DHTSnapshotError(field: "version", problem: "missing") }
        guard version == Self.snapshotVersion else {
            throw DHTSnapshotError(field: "version", problem: "version \(version) is not \(Self.snapshotVersion)")
        }
        guard let raw = value["nodes"]?.bytesValue, let nodes = NodeContact.decodeList(raw) else {
            throw DHTSnapshotError(field: "nodes", problem: "missing or not a multiple of 26 bytes")
        }
        for node in nodes { _ = try? routingTable.insert(node, now: now) }
        guard let records = value["owned"]?.listValue else { throw DHTSnapshotError(field: "owned", problem: "missing or not a list") }
        guard records.count <= configuration.maxOwnedRecords else {
            throw DHTSnapshotError(field: "owned", problem: "\(records.count) records exceed maxOwnedRecords \(configuration.maxOwnedRecords)")
        }
        for (i, r) in records.enumerated() {
            let record = try Self.decodeRecord(r, field: "owned[\(i)]")
            owned.removeAll { $0.record.target == record.target }
            owned.append(OwnedRecord(record: record, lastPublished: nil))
        }
    }

    private static func encode(_ record: DHTRecord) -> BencodeValue {
        switch record {
        case let .announce(infoHash, port):
            let p: Int64
            switch port {
            case let .port(number): p = Int64(number)
            case .implied: p = 0
            }
            return .dict(["type": "announce", "info_hash": .bytes(infoHash.bytes), "port": .integer(p)])
        case let .immutable(v):
            return .dict(["type": "immutable", "v": v])
        case let .mutable(m):
            return .dict(["type": "mutable", "k": .bytes(m.publicKey), "salt": .bytes(m.salt), "seq": .integer(m.seq),
                          "v": m.value, "sig": .bytes(m.signature)])
        }
    }

    private static func decodeRecord(_ value: BencodeValue, field: String) throws(DHTSnapshotError) -> DHTRecord {
        func bytes(_ key: String, _ length: Int? = nil) throws(DHTSnapshotError) -> [UInt8] {
            guard let b = value[key]?.bytesValue, length.map({ $0 == b.count }) ?? true else {
                throw DHTSnapshotError(field: "\(field).\(key)", problem: "missing or wrong length")
            }
            return b
        }
        func integer(_ key: String) throws(DHTSnapshotError) -> Int64 {
            guard let i = value[key]?.integerValue else { throw DHTSnapshotError(field: "\(field).\(key)", problem: "missing or not an integer") }
            return i
        }
        func v() throws(DHTSnapshotError) -> BencodeValue {
            guard let v = value["v"] else { throw DHTSnapshotError(field: "\(field).v", problem: "missing") }
            return v
        }
        let record: DHTRecord
        switch value["type"]?.bytesValue.map({ String(decoding: $0, as: UTF8.self) }) ?? "" {
        case "announce":
            let infoHash = NodeID(try bytes("info_hash", NodeID.byteCount))!
            let p = try integer("port")
            guard let port = UInt16(exactly: p) else { throw DHTSnapshotError(field: "\(field).port", problem: "\(p) is not a port") }
            record = .announce(infoHash: infoHash, port: port == 0 ? .implied : .port(port))
        case "immutable":
            record = .immutable(try v())
        case "mutable":
            record = .mutable(MutableItem(publicKey: try bytes("k", MutableItem.publicKeyBytes), salt: try bytes("salt"),
                                          seq: try integer("seq"), value: try v(), signature: try bytes("sig", MutableItem.signatureBytes)))
        default:
            throw DHTSnapshotError(field: "\(field).type", problem: "not announce, immutable or mutable")
        }
        if let error = invalidity(of: record) {
            throw DHTSnapshotError(field: field, problem: "BEP 44 error \(error.code): \(String(decoding: error.krpcError.message, as: UTF8.self))")
        }
        return record
    }
}
