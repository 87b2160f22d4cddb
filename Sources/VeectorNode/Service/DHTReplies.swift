import VeectorDHT
import VeectorWire

/// A node contact in JSON.
public struct ContactReply: Codable, Sendable, Equatable {
    /// Node ID (hex).
    public var id: String
    /// "a.b.c.d:port".
    public var address: String

    init(_ c: NodeContact) {
        id = c.id.hex
        address = c.address.description
    }
}

/// The answer to `dht.lookup` (find_node, or get_peers with `peers=1`).
public struct LookupReply: Codable, Sendable {
    /// The target (hex).
    public var target: String
    /// The closest nodes that answered, nearest first.
    public var closest: [ContactReply]
    /// Peers found (get_peers only).
    public var peers: [String]
    /// Queries sent, replies received, rounds.
    public var queries: Int, responses: Int, hops: Int
    /// Queries that timed out or failed.
    public var failures: Int?
    /// How long the lookup took inside the node, in milliseconds (for benchmarks).
    public var milliseconds: Double?

    init(_ r: LookupResult, milliseconds: Double? = nil) {
        target = r.target.hex
        closest = r.closest.map { ContactReply($0.contact) }
        peers = r.peers.map(\.description)
        queries = r.queries
        responses = r.responses
        hops = r.hops
        failures = r.failures
        self.milliseconds = milliseconds
    }
}

/// The answer to `dht.get`.
public struct ItemReply: Codable, Sendable {
    /// The target (hex).
    public var target: String
    /// Whether an item was found.
    public var found: Bool
    /// The value as text when it is a UTF-8 byte string, else its bencoding in hex.
    public var value: String?
    /// Mutable items: the signer's key (hex) and version.
    public var publicKey: String?
    /// Mutable items: the version.
    public var seq: Int64?
    /// What the BEP 44 `get` lookup cost (for benchmarks).
    public var lookup: LookupCost?
}

/// What one iterative lookup cost, reported with `dht.get` and `dht.endpoint` answers.
public struct LookupCost: Codable, Sendable, Equatable {
    /// Queries sent (round trips started).
    public var queries: Int
    /// Valid replies received.
    public var responses: Int
    /// Queries that timed out or failed.
    public var failures: Int
    /// The longest referral chain among the closest responders (a seed is 1 hop).
    public var hops: Int
    /// Time from the command to its result inside the node, in milliseconds.
    public var milliseconds: Double

    init(_ r: LookupResult, milliseconds: Double) {
        queries = r.queries
        responses = r.responses
        failures = r.failures
        hops = r.hops
        self.milliseconds = milliseconds
    }
}

/// The answer to `dht.put` / `dht.announce` / `publish`.
public struct StoreReply: Codable, Sendable {
    /// Where it was stored (hex).
    public var target: String
    /// Nodes asked and nodes that accepted.
    public var asked: Int, stored: Int
    /// Error replies ("302 old sequence number").
    public var rejections: [String]

    init(_ r: DHTStoreReport) {
        target = r.target.hex
        asked = r.asked
        stored = r.stored
        rejections = r.rejections.map { "\($0.code) \(String(decoding: $0.message, as: UTF8.self))" }
    }
}

/// The answer to `dht.endpoint`: a node's published endpoint record.
public struct EndpointReply: Codable, Sendable {
    /// The key looked up (hex).
    public var publicKey: String
    /// The node's ID (hex).
    public var nodeID: String
    /// Where it can be reached; when the record lists none, the address the DHT knows for its ID.
    public var addresses: [String]
    /// When it was published (Unix seconds).
    public var publishedAt: Int64
    /// What the `get` lookup for the record cost (for benchmarks).
    public var lookup: LookupCost?
}

extension NodeID {
    /// Lower-case hex, 40 digits.
    public var hex: String { bytes.hexString }

    /// Reads 40 hex digits.
    public init?(hex: String) {
        guard let b = [UInt8](hex: hex), let id = NodeID(b) else { return nil }
        self = id
    }
}

extension [UInt8] {
    /// Lower-case hex.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads hex digits (either case); nil if the text is not whole bytes of hex.
    public init?(hex: String) {
        let u = Array(hex.utf8)
        guard u.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self = out
    }
}

/// What `dht.head` answers: the newest published version of a model by one publisher.
public struct ModelHeadReply: Codable, Sendable {
    /// The publisher's key (hex).
    public var publicKey: String
    /// The model's name.
    public var name: String
    /// The manifest CID of its newest version.
    public var manifest: String
    /// The architecture (`llama`, `bert`).
    public var arch: String
    /// Bytes of all its blocks.
    public var bytes: Int
    /// When it was published (Unix milliseconds).
    public var publishedAt: Int64
    /// What the `get` lookup cost.
    public var lookup: LookupCost?
}
