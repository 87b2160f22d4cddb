import VeectorCrypto
import VeectorWire

/// Where a node can be reached, published in the DHT as a BEP 44 mutable item signed with the node's
/// device key (salt `veector-endpoint-v1`), so anyone who knows a node's public key can find its current
/// address: `target = SHA-1(public key ‖ salt)`. The value is the bencoded dictionary
/// `{"a": [6-byte compact address, …], "id": 20-byte node ID, "t": publication time (Unix seconds)}`;
/// `seq` is the publication time, so a restarted node's record replaces the old one.
public struct EndpointRecord: Equatable, Sendable {
    /// The BEP 44 salt that names endpoint records.
    public static let salt: [UInt8] = Array("veector-endpoint-v1".utf8)

    /// The node's DHT ID.
    public var nodeID: NodeID
    /// Addresses to try, best first (the UPnP-mapped public one, then the bound one).
    public var addresses: [PeerAddress]
    /// When it was published (Unix seconds); also the item's `seq`.
    public var publishedAt: Int64

    /// Makes a record.
    public init(nodeID: NodeID, addresses: [PeerAddress], publishedAt: Int64) {
        self.nodeID = nodeID
        self.addresses = addresses
        self.publishedAt = publishedAt
    }

    /// Where the record of the node with `publicKey` is stored.
    public static func target(publicKey: [UInt8]) -> NodeID { BEP44.mutableTarget(publicKey: publicKey, salt: salt) }

    /// The bencoded value.
    public var value: BencodeValue {
        .dict(["a": .list(addresses.map { .bytes($0.compact) }), "id": .bytes(nodeID.bytes), "t": .integer(publishedAt)])
    }

    /// The signed BEP 44 item.
    public func signed(with keyPair: SigningKeyPair) -> MutableItem {
        MutableItem.signed(value: value, seq: publishedAt, salt: Self.salt, keyPair: keyPair)
    }

    /// Reads a record from an item found in the DHT, checking its salt, signature and shape.
    public init(item: MutableItem) throws(EndpointRecordError) {
        guard item.salt == Self.salt else { throw .wrongSalt }
        guard item.isSignatureValid else { throw .badSignature }
        guard let id = item.value["id"]?.bytesValue.flatMap(NodeID.init) else { throw .malformed("'id' is not 20 bytes") }
        guard let list = item.value["a"]?.listValue else { throw .malformed("'a' is not a list") }
        var addresses: [PeerAddress] = []
        for entry in list {
            guard let bytes = entry.bytesValue, let a = PeerAddress(compact: bytes) else {
                throw .malformed("an address in 'a' is not 6 bytes")
            }
            addresses.append(a)
        }
        guard let t = item.value["t"]?.integerValue else { throw .malformed("'t' is not an integer") }
        self.init(nodeID: id, addresses: addresses, publishedAt: t)
    }
}

/// Why an item is not a valid endpoint record.
public enum EndpointRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The item's salt is not `veector-endpoint-v1`.
    case wrongSalt
    /// The signature does not match the public key.
    case badSignature
    /// The value is not the documented dictionary.
    case malformed(String)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .wrongSalt: "not an endpoint record (its BEP 44 salt is not 'veector-endpoint-v1')"
        case .badSignature: "the endpoint record's signature is invalid: ignore it (forged or corrupted)"
        case let .malformed(why): "malformed endpoint record: \(why)"
        }
    }
}
