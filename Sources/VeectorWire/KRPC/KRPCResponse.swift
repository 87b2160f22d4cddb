/// The `r` dictionary of a KRPC reply. Replies do not name their method, so this holds every
/// field a BEP 5 / BEP 44 reply may carry; the caller knows which query it asked.
public struct KRPCResponse: Hashable, Sendable {
    /// `id`: the responder's node ID (always present).
    public var id: NodeID
    /// `nodes`: closest nodes known to the responder (find_node, get_peers, get).
    public var nodes: [NodeContact]?
    /// `values`: peers for the info-hash (get_peers).
    public var values: [PeerAddress]?
    /// `token`: write token for a later announce_peer or put (get_peers, get).
    public var token: [UInt8]?
    /// `v`: the stored item's value (get).
    public var value: BencodeValue?
    /// `k`: the mutable item's Ed25519 public key (get).
    public var publicKey: [UInt8]?
    /// `sig`: the mutable item's signature (get).
    public var signature: [UInt8]?
    /// `seq`: the mutable item's sequence number (get; alone when the querier's is current).
    public var seq: Int64?

    /// Makes a reply; only `id` is required.
    public init(id: NodeID, nodes: [NodeContact]? = nil, values: [PeerAddress]? = nil, token: [UInt8]? = nil,
                value: BencodeValue? = nil, publicKey: [UInt8]? = nil, signature: [UInt8]? = nil, seq: Int64? = nil) {
        self.id = id
        self.nodes = nodes
        self.values = values
        self.token = token
        self.value = value
        self.publicKey = publicKey
        self.signature = signature
        self.seq = seq
    }

    /// The mutable item in a `get` reply, if `k`, `sig`, `seq` and `v` are all present; `salt` is
    /// the one the querier used (it is not echoed). The signature is not checked here.
    public func mutableItem(salt: [UInt8] = []) -> MutableItem? {
        guard let publicKey, let signature, let seq, let value else { return nil }
        return MutableItem(publicKey: publicKey, salt: salt, seq: seq, value: value, signature: signature)
    }
}
