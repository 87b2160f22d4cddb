/// A KRPC request (BEP 5 and BEP 44), with its typed arguments. Every query carries the
/// sender's node ID (`a.id`).
public enum KRPCQuery: Hashable, Sendable {
    /// `ping`: are you alive?
    case ping(id: NodeID)
    /// `find_node`: the nodes you know closest to `target`.
    case findNode(id: NodeID, target: NodeID)
    /// `get_peers`: peers for `infoHash`, or the closest nodes, plus a write token.
    case getPeers(id: NodeID, infoHash: NodeID)
    /// `announce_peer`: record me as a peer for an info-hash.
    case announcePeer(AnnouncePeerArguments)
    /// `get` (BEP 44): the item stored under a target.
    case get(GetArguments)
    /// `put` (BEP 44): store an item.
    case put(PutArguments)

    /// The `q` method name on the wire.
    public var method: String {
        switch self {
        case .ping: "ping"
        case .findNode: "find_node"
        case .getPeers: "get_peers"
        case .announcePeer: "announce_peer"
        case .get: "get"
        case .put: "put"
        }
    }

    /// The querying node's ID.
    public var senderID: NodeID {
        switch self {
        case let .ping(id), let .findNode(id, _), let .getPeers(id, _): id
        case let .announcePeer(a): a.id
        case let .get(a): a.id
        case let .put(a): a.id
        }
    }
}

/// Arguments of `announce_peer` (BEP 5).
public struct AnnouncePeerArguments: Hashable, Sendable {
    /// The sender's node ID.
    public var id: NodeID
    /// The torrent (for Veector: the first 20 bytes of a content ID) being announced.
    public var infoHash: NodeID
    /// The port the sender's peer listens on (ignored by receivers when `impliedPort`).
    public var port: UInt16
    /// `implied_port = 1`: use the UDP source port instead of `port` (for NATed peers).
    public var impliedPort: Bool
    /// The token the receiver handed out in an earlier `get_peers` reply.
    public var token: [UInt8]

    /// Makes the arguments.
    public init(id: NodeID, infoHash: NodeID, port: UInt16, impliedPort: Bool = false, token: [UInt8]) {
        self.id = id
        self.infoHash = infoHash
        self.port = port
        self.impliedPort = impliedPort
        self.token = token
    }
}

/// Arguments of `get` (BEP 44).
public struct GetArguments: Hashable, Sendable {
    /// The sender's node ID.
    public var id: NodeID
    /// The item's target (see `BEP44`).
    public var target: NodeID
    /// For mutable items: send the value only if the stored `seq` is greater than this.
    public var seq: Int64?

    /// Makes the arguments.
    public init(id: NodeID, target: NodeID, seq: Int64? = nil) {
        self.id = id
        self.target = target
        self.seq = seq
    }
}

/// Arguments of `put` (BEP 44).
public struct PutArguments: Hashable, Sendable {
    /// The sender's node ID.
    public var id: NodeID
    /// The write token from an earlier `get` reply by the receiver.
    public var token: [UInt8]
    /// The item to store.
    public var item: DHTItem
    /// Compare-and-swap (mutable only): store only if the current `seq` equals this.
    public var cas: Int64?

    /// Makes the arguments.
    public init(id: NodeID, token: [UInt8], item: DHTItem, cas: Int64? = nil) {
        self.id = id
        self.token = token
        self.item = item
        self.cas = cas
    }
}
