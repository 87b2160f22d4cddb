import VeectorWire

/// The whole DHT protocol (BEP 5 + BEP 42 + BEP 44) of one node as a sans-I/O state machine:
/// datagrams, timers and commands in (`DHTEvent`), datagrams to send, timers to set and command
/// results out (`DHTAction`). It answers every query, keeps the routing table alive, runs
/// iterative lookups and stores, republishes what the node owns and limits each source address.
/// The SwiftNIO driver in `veenode` and the simulator's event loop both drive exactly this.
/// See Spec/dht.md for the events, actions, timers and limits.
public struct DHTNode: ProtocolCore, Sendable {
    /// The events a driver feeds in.
    public typealias Event = DHTEvent
    /// The actions a driver carries out.
    public typealias Action = DHTAction

    /// Our node ID (the driver derives it from the node's key and external address).
    public let ownID: NodeID
    /// The rules in force.
    public let configuration: DHTConfiguration
    /// The k-bucket routing table, fed by every valid query and reply.
    public internal(set) var routingTable: RoutingTable
    /// Peers other nodes announced to us.
    public internal(set) var peerStore: PeerStore
    /// BEP 44 items other nodes put to us.
    public internal(set) var itemStore: ItemStore
    /// What responders say our address is (BEP 42 `ip`); see `externalAddress`.
    public internal(set) var addressVotes = ExternalAddressVotes()
    var tokens: TokenIssuer
    var limiter: DHTRateLimiter
    var counters = DHTStats()
    var pending: [[UInt8]: PendingQuery] = [:]
    var operations: [Int: DHTOperation] = [:]
    var nextOperation = 0
    var owned: [OwnedRecord] = []
    var livenessPings = 0
    var nextMaintenance: Instant?
    var nextRepublish: Instant?

    /// A fresh node with an empty routing table. `now` and `rng` seed the write-token secrets.
    public init(ownID: NodeID, configuration: DHTConfiguration = DHTConfiguration(), now: Instant,
                rng: inout some RandomNumberGenerator) {
        self.ownID = ownID
        self.configuration = configuration
        routingTable = RoutingTable(ownID: ownID, configuration: configuration.routing)
        peerStore = PeerStore(configuration: configuration.peers)
        itemStore = ItemStore(configuration: configuration.items)
        tokens = TokenIssuer(now: now, rotationInterval: configuration.tokenRotationInterval, rng: &rng)
        limiter = DHTRateLimiter(configuration: configuration.rateLimit)
    }

    /// Counters of traffic and drops, with the current table size, queries in flight and operations.
    public var stats: DHTStats {
        var s = counters
        s.routingTableSize = routingTable.count
        s.queriesInFlight = pending.count
        s.operationsRunning = operations.count
        return s
    }

    /// Our address as most responders report it (at least two agreeing), for deriving a BEP 42
    /// ID and for UPnP checks; nil until known.
    public var externalAddress: PeerAddress? { addressVotes.consensus() }

    /// Source addresses the rate limiter currently tracks (bounded by the configuration).
    public var limiterTrackedAddresses: Int { limiter.trackedAddresses }

    /// The records this node publishes, in publication order.
    public var ownedRecords: [DHTRecord] { owned.map(\.record) }

    /// Feeds one event at `now`; returns the actions to carry out, in order. The first event of
    /// any kind also arms the periodic `maintenance` and `republish` timers.
    public mutating func handle(_ event: DHTEvent, now: Instant, rng: inout some RandomNumberGenerator) -> [DHTAction] {
        var out: [DHTAction] = []
        if nextMaintenance == nil {
            armMaintenance(now: now, into: &out)
            armRepublish(now: now, into: &out)
        }
        switch event {
        case let .datagram(from, bytes):
            receive(bytes, from: from, now: now, rng: &rng, into: &out)
        case let .timer(timer):
            fire(timer, now: now, rng: &rng, into: &out)
        case let .command(id, command):
            run(command, id: id, now: now, rng: &rng, into: &out)
        }
        return out
    }

    /// Encodes and sends one message, counting it.
    mutating func emit(_ message: KRPCMessage, to address: PeerAddress, into out: inout [DHTAction]) {
        let bytes = message.encoded()
        counters.datagramsOut += 1
        counters.bytesOut += bytes.count
        out.append(.send(to: address, bytes: bytes))
    }

    /// Sends a reply to the query `transactionID` from `to` (with BEP 42's `ip` field).
    mutating func reply(_ body: KRPCMessage.Body, transactionID: [UInt8], to address: PeerAddress, into out: inout [DHTAction]) {
        switch body {
        case .error: counters.errorsOut += 1
        default: counters.responsesOut += 1
        }
        emit(KRPCMessage(transactionID: transactionID, body: body, clientVersion: configuration.clientVersion,
                         externalAddress: address), to: address, into: &out)
    }

    /// Sends a query of ours with a fresh transaction ID and sets its timeout timer.
    mutating func sendQuery(_ query: KRPCQuery, to address: PeerAddress, expecting id: NodeID?, purpose: PendingQuery.Purpose,
                            timeout: Duration, now: Instant, rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        var tid: [UInt8]
        repeat {
            let r = rng.next()
            tid = [UInt8(truncatingIfNeeded: r), UInt8(truncatingIfNeeded: r >> 8),
                   UInt8(truncatingIfNeeded: r >> 16), UInt8(truncatingIfNeeded: r >> 24)]
        } while pending[tid] != nil
        let deadline = now.advanced(by: timeout)
        pending[tid] = PendingQuery(to: address, expectedID: id, deadline: deadline, purpose: purpose)
        counters.queriesOut.count(query.method)
        emit(KRPCMessage(transactionID: tid, body: .query(query), clientVersion: configuration.clientVersion,
                         readOnly: configuration.readOnly), to: address, into: &out)
        out.append(.setTimer(.queryTimeout(transactionID: tid), at: deadline))
    }

    /// Records that we heard from `contact` (a valid query or reply) and pings questionable nodes
    /// of its bucket if the table asks for it.
    mutating func learn(_ contact: NodeContact, now: Instant, rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        guard let outcome = try? routingTable.insert(contact, now: now),
              case let .cachedPendingPings(nodes) = outcome else { return }
        for node in nodes where livenessPings < configuration.maxLivenessPings {
            livenessPings += 1
            sendQuery(.ping(id: ownID), to: node.address, expecting: node.id, purpose: .liveness,
                      timeout: configuration.queryTimeout, now: now, rng: &rng, into: &out)
        }
    }

    /// The k closest nodes we know to `target` (for find_node / get_peers / get replies).
    func closestNodes(to target: NodeID, now: Instant) -> [NodeContact] {
        routingTable.closest(to: target, count: configuration.routing.bucketSize, now: now)
    }
}
