import VeectorWire

/// One running operation of a `DHTNode`: a command, a bucket refresh or a republish.
struct DHTOperation: Sendable {
    /// What the operation does.
    enum Kind: Sendable {
        /// `DHTCommand.ping`.
        case ping(PeerAddress)
        /// `DHTCommand.bootstrap`, with how its probes went.
        case bootstrap(contacted: Int, answered: Int)
        /// `DHTCommand.findNode`.
        case findNode
        /// A bucket refresh (internal; no result is reported).
        case refresh
        /// A bucket refresh that finishes joining: operation `parent` (a bootstrap) waits for it.
        case joinRefresh(parent: Int)
        /// `DHTCommand.getPeers`.
        case getPeers
        /// `DHTCommand.announce` or an owned announce.
        case announce(infoHash: NodeID, port: DHTAnnouncePort)
        /// `DHTCommand.getItem`.
        case getItem(target: NodeID, salt: [UInt8])
        /// `DHTCommand.putImmutable` / `putMutable` or an owned item.
        case put(DHTItem, cas: Int64?)
    }

    /// Where the operation stands.
    enum Phase: Sendable {
        /// A single query is out (ping).
        case waiting
        /// Bootstrap probes are out; `learned` collects the nodes they returned.
        case probing(outstanding: Int, learned: [NodeContact])
        /// An iterative lookup is running.
        case looking(Lookup)
        /// Writes (announce_peer / put) to the closest nodes are out.
        case storing(StoreProgress)
        /// A bootstrap's self-lookup is done (`result`); `remaining` join refreshes are running.
        case refreshing(remaining: Int, result: LookupResult)
    }

    /// The driver's command ID; nil for internal operations.
    var command: DHTCommandID?
    /// What it does.
    var kind: Kind
    /// Where it stands.
    var phase: Phase
}

/// The writes of a store operation still out, and what came back.
struct StoreProgress: Sendable {
    /// Writes awaiting a reply or timeout.
    var outstanding: Int
    /// The report being filled in.
    var report: DHTStoreReport
}
