import VeectorWire

/// Everything tunable in a `DHTNode`; the defaults follow BEP 5 / BEP 44 and libtorrent.
public struct DHTConfiguration: Hashable, Sendable {
    /// k-buckets, replacement caches, node states, BEP 42 enforcement.
    public var routing: RoutingTableConfiguration
    /// α, k and the per-query timeout of iterative lookups.
    public var lookup: LookupConfiguration
    /// Limits of the announced-peer store.
    public var peers: PeerStoreConfiguration
    /// Limits of the BEP 44 item store.
    public var items: ItemStoreConfiguration
    /// Per-source-address limit on incoming datagrams.
    public var rateLimit: DHTRateLimitConfiguration
    /// Addresses `DHTCommand.bootstrap([])` uses. Empty by default: nothing goes to the public
    /// Mainline DHT unless the user configures it.
    public var bootstrapNodes: [PeerAddress]
    /// How long a single query (ping, announce_peer, put, bootstrap probe) waits for its reply.
    public var queryTimeout: Duration
    /// How often housekeeping runs (bucket refresh check, store expiry, token rotation).
    public var maintenanceInterval: Duration
    /// How often owned announces are repeated (below the peer store's 30-minute lifetime).
    public var announceRepublishInterval: Duration
    /// How often owned BEP 44 items are put again (below the item store's 2-hour lifetime).
    public var itemRepublishInterval: Duration
    /// How often the write-token secret is replaced (tokens live one to two intervals).
    public var tokenRotationInterval: Duration
    /// Most operations (commands, refreshes, republishes) running at once; bounds queries in flight.
    public var maxOperations: Int
    /// Most liveness pings (to questionable nodes of full buckets) in flight at once.
    public var maxLivenessPings: Int
    /// Most records published with `DHTCommand.publish`.
    public var maxOwnedRecords: Int
    /// Most bootstrap addresses probed by one `bootstrap`.
    public var maxBootstrapAddresses: Int
    /// `v` in every message we send (2 bytes of client ID + 2 of version); nil to omit.
    public var clientVersion: [UInt8]?
    /// BEP 43 read-only mode: send `ro = 1`, answer no queries (for nodes that cannot be reached).
    public var readOnly: Bool

    /// Makes a configuration; every default is documented on its property and in Spec/dht.md.
    public init(routing: RoutingTableConfiguration = RoutingTableConfiguration(),
                lookup: LookupConfiguration = LookupConfiguration(),
                peers: PeerStoreConfiguration = PeerStoreConfiguration(),
                items: ItemStoreConfiguration = ItemStoreConfiguration(),
                rateLimit: DHTRateLimitConfiguration = DHTRateLimitConfiguration(),
                bootstrapNodes: [PeerAddress] = [],
                queryTimeout: Duration = .seconds(2),
                maintenanceInterval: Duration = .seconds(60),
                announceRepublishInterval: Duration = .seconds(15 * 60),
                itemRepublishInterval: Duration = .seconds(30 * 60),
                tokenRotationInterval: Duration = .seconds(5 * 60),
                maxOperations: Int = 64,
                maxLivenessPings: Int = 32,
                maxOwnedRecords: Int = 256,
                maxBootstrapAddresses: Int = 32,
                clientVersion: [UInt8]? = [0x56, 0x43, 0x00, 0x01],
                readOnly: Bool = false) {
        precondition(maxOperations > 0 && maxLivenessPings > 0 && maxOwnedRecords > 0 && maxBootstrapAddresses > 0,
                     "DHT limits must be positive")
        precondition(queryTimeout > .zero && maintenanceInterval > .zero && announceRepublishInterval > .zero
                     && itemRepublishInterval > .zero && tokenRotationInterval > .zero, "DHT intervals must be positive")
        self.routing = routing
        self.lookup = lookup
        self.peers = peers
        self.items = items
        self.rateLimit = rateLimit
        self.bootstrapNodes = bootstrapNodes
        self.queryTimeout = queryTimeout
        self.maintenanceInterval = maintenanceInterval
        self.announceRepublishInterval = announceRepublishInterval
        self.itemRepublishInterval = itemRepublishInterval
        self.tokenRotationInterval = tokenRotationInterval
        self.maxOperations = maxOperations
        self.maxLivenessPings = maxLivenessPings
        self.maxOwnedRecords = maxOwnedRecords
        self.maxBootstrapAddresses = maxBootstrapAddresses
        self.clientVersion = clientVersion
        self.readOnly = readOnly
    }
}
