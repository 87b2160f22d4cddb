import VeectorCrypto
import VeectorWire

/// The gossip protocol of one node as a sans-I/O state machine (`Spec/gossip.md`): signed,
/// content-addressed messages spread over a Plumtree-style tree (eager pushes along a spanning
/// tree, `ihave` announcements on lazy links, grafts to repair), with validation before anything is
/// delivered or relayed, peer scoring and graylisting, and bounded caches and queues.
/// Links come from authenticated sessions; the driver (NIO or `veesim`) carries out the actions.
public struct GossipNode: ProtocolCore, Sendable {
    /// The events a driver feeds in.
    public typealias Event = GossipEvent
    /// The actions a driver carries out.
    public typealias Action = GossipAction

    /// This node's signing identity (author of what it publishes).
    let keys: SigningKeyPair
    /// This node as a peer (its public key).
    public let identity: GossipPeer
    /// The rules in force.
    public let configuration: GossipConfiguration
    /// Unix time in milliseconds at the driver's `Instant.zero` (envelope timestamps are Unix time).
    public let unixMillisAtZero: UInt64
    let validator: GossipValidator
    /// Frame decoding and signature checking (`GossipWireChecks.standard` unless a simulator shares them).
    let wireChecks: GossipWireChecks

    var counters = GossipStats()
    var peers: [GossipPeer: PeerState] = [:]
    var subscriptions: Set<GossipTopic> = []
    var eager: [GossipTopic: Set<GossipPeer>] = [:]
    var lazy: [GossipTopic: Set<GossipPeer>] = [:]
    var seen: SeenCache
    var store: MessageStore
    var missing: [GossipMessageID: MissingMessage] = [:]
    var candidates: Set<GossipPeer> = []
    /// Dial back-offs, dials in flight and lost links to redial, by peer (see `GossipNode+Dialing`).
    var dials: [GossipPeer: DialState] = [:]
    /// Dials in a row, to any peer, that came to nothing; from `targetPeers` on, the node dials one
    /// candidate at a time, ever more slowly (a node the network refuses stops hammering it).
    var dialStreak = 0
    /// No candidate dial (and no `requestPeers`) before this.
    var nextDialAt: Instant = .zero
    /// When `requestPeers` was last asked.
    var lastPeerRequest: Instant?
    var graylist: [GossipPeer: Instant] = [:]
    var nextSequence: [GossipTopic: UInt64] = [:]
    var nextHeartbeat: Instant?
    var lazyFlushArmed = false
    /// How late eager copies arrive after their first `ihave`, rising at once, decaying slowly
    /// (`GossipNode+RepairTiming.swift`).
    var eagerLag: Duration = .zero

    /// A node signing as `keys`. `unixMillisAtZero` maps the driver's instants to Unix time (the
    /// NIO driver reads the wall clock once at start; the simulator picks a fixed value);
    /// `validator` is the application's hook, asked about every new message before delivery;
    /// `wireChecks` decodes frames and verifies signatures (leave it `standard` outside simulators).
    public init(keys: SigningKeyPair, configuration: GossipConfiguration = GossipConfiguration(),
                unixMillisAtZero: UInt64, validator: @escaping GossipValidator = { _, _ in .accept },
                wireChecks: GossipWireChecks = .standard) {
        self.keys = keys
        identity = GossipPeer(keys)
        self.configuration = configuration
        self.unixMillisAtZero = unixMillisAtZero
        self.validator = validator
        self.wireChecks = wireChecks
        seen = SeenCache(capacity: configuration.seenCapacity, duration: configuration.seenDuration)
        store = MessageStore(capacity: configuration.storeCapacity, byteLimit: configuration.storeBytes,
                             duration: configuration.historyDuration)
    }

    /// Feeds one event at `now`; returns the actions to carry out, in order. The first event also
    /// arms the periodic heartbeat.
    public mutating func handle(_ event: GossipEvent, now: Instant, rng: inout some RandomNumberGenerator) -> [GossipAction] {
        var out: [GossipAction] = []
        if nextHeartbeat == nil {
            let at = now.advanced(by: configuration.heartbeatInterval)
            nextHeartbeat = at
            out.append(.setTimer(.heartbeat, at: at))
        }
        switch event {
        case let .linkUp(peer): linkUp(peer, now: now, into: &out)
        case let .linkDown(peer): linkDown(peer, now: now)
        case let .received(peer, bytes): receive(bytes, from: peer, now: now, into: &out)
        case let .sendCompleted(peer): sendCompleted(peer, into: &out)
        case let .timer(timer): fire(timer, now: now, rng: &rng, into: &out)
        case let .command(command): run(command, now: now, rng: &rng, into: &out)
        }
        return out
    }

    /// Counters of traffic, deliveries and drops.
    public var stats: GossipStats { counters }
    /// Peers with an open link, sorted.
    public var linkedPeers: [GossipPeer] { peers.keys.sorted() }
    /// Topics this node follows, sorted.
    public var topics: [GossipTopic] { subscriptions.sorted() }
    /// Peers this node pushes `topic`'s messages to, sorted.
    public func eagerPeers(_ topic: GossipTopic) -> [GossipPeer] { (eager[topic] ?? []).sorted() }
    /// Peers this node only announces `topic`'s messages to, sorted.
    public func lazyPeers(_ topic: GossipTopic) -> [GossipPeer] { (lazy[topic] ?? []).sorted() }
    /// A linked peer's score (nil if not linked).
    public func score(of peer: GossipPeer) -> Int? { peers[peer]?.score }
    /// Whether `peer` is refused until some later time.
    public func isGraylisted(_ peer: GossipPeer, now: Instant) -> Bool { graylist[peer].map { $0 > now } ?? false }
    /// Message IDs remembered in the seen cache.
    public var seenCount: Int { seen.count }
    /// Full messages kept for grafts and history.
    public var storedCount: Int { store.count }
    /// Missing messages being tracked for repair.
    public var missingCount: Int { missing.count }
    /// Peers dialled (a `connect` handed to the driver) and not yet linked.
    public var dialsInFlight: Int { dials.values.reduce(0) { $0 + ($1.dialedAt == nil ? 0 : 1) } }
    /// Whether `peer` is held back from dialling at `now` (it refused a link or never answered, and
    /// its back-off has not run out).
    public func isBackingOff(_ peer: GossipPeer, now: Instant) -> Bool { dials[peer].map { $0.notBefore > now } ?? false }

    /// Frames queued behind the send window for `peer`.
    public func queuedFrames(for peer: GossipPeer) -> Int { peers[peer]?.queue.count ?? 0 }

    /// The driver's `now` as Unix milliseconds.
    func unixMillis(_ now: Instant) -> UInt64 { unixMillisAtZero &+ now.nanoseconds / 1_000_000 }
}
