import VeectorWire

/// A node that answered a lookup, with the write token it handed out (get_peers / get).
public struct LookupResponder: Hashable, Sendable {
    /// Who answered.
    public var contact: NodeContact
    /// Its write token for a later announce_peer or put, if it gave one.
    public var token: [UInt8]?

    /// Makes a responder.
    public init(contact: NodeContact, token: [UInt8]?) {
        self.contact = contact
        self.token = token
    }
}

/// A BEP 44 `get` reply that carried an item (a value, or a bare `seq` meaning "not newer"); its
/// signature is not checked here.
public struct LookupItem: Hashable, Sendable {
    /// Who sent it.
    public var from: NodeContact
    /// The reply, with `value`, `publicKey`, `signature` and `seq` as sent.
    public var response: KRPCResponse

    /// Makes an item record.
    public init(from: NodeContact, response: KRPCResponse) {
        self.from = from
        self.response = response
    }
}

/// What an iterative lookup found, and what it cost.
public struct LookupResult: Hashable, Sendable {
    /// The ID looked up.
    public var target: NodeID
    /// The closest nodes that answered, nearest first, at most k.
    public var closest: [LookupResponder]
    /// Peers from get_peers `values`, in order of arrival, without duplicates.
    public var peers: [PeerAddress]
    /// BEP 44 items from get replies, in order of arrival.
    public var items: [LookupItem]
    /// Queries sent.
    public var queries: Int
    /// Valid replies received.
    public var responses: Int
    /// Queries that timed out or got an error (or a reply with the wrong node ID).
    public var failures: Int
    /// The longest referral chain among `closest` (a seed is 1 hop; a node learned from it is 2).
    public var hops: Int

    /// Makes a result.
    public init(target: NodeID, closest: [LookupResponder], peers: [PeerAddress], items: [LookupItem],
                queries: Int, responses: Int, failures: Int, hops: Int) {
        self.target = target
        self.closest = closest
        self.peers = peers
        self.items = items
        self.queries = queries
        self.responses = responses
        self.failures = failures
        self.hops = hops
    }
}
