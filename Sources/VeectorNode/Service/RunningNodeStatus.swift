import VeectorDHT
import VeectorNet
import VeectorWire

/// What `veenode status` shows while a node runs (asked over the control socket).
public struct RunningNodeStatus: Codable, Sendable {
    /// The node's DHT ID (hex): derived from `publicKey`, and BEP 42-valid for `externalAddress` once known.
    public var nodeID: String
    /// The external IPv4 address the node ID was made valid for (BEP 42); nil while unknown or local.
    public var externalAddress: String?
    /// Where `externalAddress` came from: "dht-replies" (a majority of responders) or "upnp".
    public var externalAddressSource: String?
    /// How many times the node switched its ID since it started (a new external address).
    public var nodeIDSwitches: Int?
    /// The device's Ed25519 public key (hex): what others look the node's endpoint record up by.
    public var publicKey: String
    /// The home folder.
    public var home: String
    /// The node's process ID.
    public var pid: Int32
    /// Seconds since the node started.
    public var uptimeSeconds: Double
    /// The UDP address the DHT socket is bound to.
    public var listen: String
    /// The addresses in the published endpoint record.
    public var publishedAddresses: [String]
    /// How many times the endpoint record was published (again when the routing table doubled).
    public var endpointPublications: Int
    /// How many nodes stored the latest publication.
    public var endpointStoredOn: Int
    /// UPnP's state; nil when started with --no-upnp.
    public var upnp: UPnPPortMapper.Status?
    /// Nodes in the routing table.
    public var routingTableSize: Int
    /// What the UDP socket carried.
    public var traffic: TrafficCounters
    /// What the DHT core made of it.
    public var dht: DHTCounters
}

/// The DHT core's counters, in a JSON-friendly shape.
public struct DHTCounters: Codable, Sendable {
    /// Valid queries received.
    public var queriesIn: Int
    /// Queries sent.
    public var queriesOut: Int
    /// Replies received that matched a query.
    public var responsesIn: Int
    /// Replies sent.
    public var responsesOut: Int
    /// KRPC errors sent.
    public var errorsOut: Int
    /// Datagrams that were not valid KRPC.
    public var droppedMalformed: Int
    /// Datagrams dropped by the per-address rate limit.
    public var droppedRateLimited: Int
    /// Queries of ours that timed out.
    public var timeouts: Int
    /// Queries awaiting a reply.
    public var queriesInFlight: Int

    /// Copies the core's stats.
    public init(_ s: DHTStats) {
        queriesIn = s.queriesIn.total
        queriesOut = s.queriesOut.total
        responsesIn = s.responsesIn
        responsesOut = s.responsesOut
        errorsOut = s.errorsOut
        droppedMalformed = s.droppedMalformed
        droppedRateLimited = s.droppedRateLimited
        timeouts = s.timeouts
        queriesInFlight = s.queriesInFlight
    }
}

/// One routing-table entry, for `veenode peers`.
public struct PeerInfo: Codable, Sendable {
    /// The node's ID (hex).
    public var id: String
    /// Its address.
    public var address: String
    /// Queries it failed to answer in a row.
    public var failures: Int
    /// Seconds since we last heard from it.
    public var lastSeenSecondsAgo: Double
}
