import Foundation
import Logging
import NIOCore
import VeectorCrypto
import VeectorGossip
import VeectorNet
import VeectorWire

/// Runs the node's `GossipNode` on real peer sessions: gossip frames ride the `.gossip` channel of
/// `PeerLinks`, a gossip link is opened and closed with the channel's open/close operations (so a
/// session can carry a transfer without being a mesh link), timers are scheduled on one event loop
/// that owns the core, candidate peers come from the DHT's routing table, and delivered messages go
/// to the node's followers (`NodeGossip`) and to a bounded log the control socket reads.
public final class GossipDriver: PeerChannelDriver, NodeGossip, @unchecked Sendable {
    let loop: any EventLoop
    let links: PeerLinks
    let clock = MonotonicClock()
    let logger: Logger
    /// Addresses of possible peers (the DHT's routing table), asked for when the core wants candidates.
    let discover: @Sendable (Int) async -> [SocketAddress]

    // Owned by `loop`.
    var core: GossipNode
    var rng = SeededGenerator()
    var linked: Set<GossipPeer> = []
    var timers: [GossipTimer: Scheduled<Void>] = [:]
    var followers: [GossipTopic: [@Sendable (GossipEnvelope) -> Void]] = [:]
    var log: GossipDeliveryLog
    var discovering = false
    var lastDiscovery: NIODeadline?
    var ignoredFrames = 0
    var misbehaviour: GossipMisbehaviour?

    /// A driver for a node signing as `keys`, on one loop of `group`.
    public init(keys: SigningKeyPair, configuration: GossipConfiguration = GossipConfiguration(), links: PeerLinks,
                group: any EventLoopGroup, logCapacity: Int = 4096, logger: Logger,
                validator: @escaping GossipValidator = { _, _ in .accept },
                discover: @escaping @Sendable (Int) async -> [SocketAddress]) {
        loop = group.next()
        self.links = links
        self.logger = logger
        self.discover = discover
        let unixMillis = UInt64(Date().timeIntervalSince1970 * 1000)
        // The core's instants start at the monotonic clock's origin (this moment).
        core = GossipNode(keys: keys, configuration: configuration, unixMillisAtZero: unixMillis - UInt64(clock.now().nanoseconds / 1_000_000),
                          validator: validator)
        log = GossipDeliveryLog(capacity: logCapacity)
    }

    /// Turns on a deliberate misbehaviour (test networks only: `veenode start --misbehave`).
    public func misbehave(_ kind: GossipMisbehaviour.Kind, keys: SigningKeyPair) {
        loop.execute {
            self.misbehaviour = GossipMisbehaviour(kind: kind, keys: keys)
            self.scheduleAttack()
        }
    }

    // MARK: Events from the sessions

    /// One event of the gossip channel (any thread; handled on the driver's loop).
    public func peerEvent(_ event: PeerLinkEvent) {
        loop.execute { self.handle(event) }
    }

    func handle(_ event: PeerLinkEvent) {
        switch event {
        case let .sessionUp(key):
            // A peer with a session is a good candidate for a mesh link.
            process(.command(.addCandidates([Self.peer(key)])))
        case let .sessionDown(key):
            linkLost(Self.peer(key))
        case let .opened(key):
            openedByPeer(Self.peer(key))
        case let .closed(key):
            linkLost(Self.peer(key))
        case let .data(key, bytes):
            let peer = Self.peer(key)
            guard linked.contains(peer) else { ignoredFrames += 1; return }
            process(.received(from: peer, bytes: bytes))
        }
    }

    func openedByPeer(_ peer: GossipPeer) {
        guard linked.insert(peer).inserted else { return }
        links.hold(PeerKey(peer.publicKey)!, .gossip, true)
        process(.linkUp(peer))
    }

    func linkLost(_ peer: GossipPeer) {
        guard linked.remove(peer) != nil else { return }
        links.hold(PeerKey(peer.publicKey)!, .gossip, false)
        process(.linkDown(peer))
    }

    static func peer(_ key: PeerKey) -> GossipPeer { try! GossipPeer(publicKey: key.bytes) }

    // MARK: The core

    /// Feeds one event to the core and carries out what it asks. Call on `loop`.
    @discardableResult
    func process(_ event: GossipEvent) -> [GossipAction] {
        let now = clock.now()
        let actions = core.handle(event, now: now, rng: &rng)
        for action in actions { perform(action, now: now) }
        return actions
    }

    func perform(_ action: GossipAction, now: Instant) {
        switch action {
        case let .send(peer, bytes):
            let key = PeerKey(peer.publicKey)!
            let outgoing = misbehaviour?.tamper(bytes) ?? bytes
            let sent = links.send(.gossip, .data, outgoing, to: key) { [loop] ok in
                guard ok else { return }
                loop.execute { self.process(.sendCompleted(to: peer)) }
            }
            if !sent { loop.execute { self.linkLost(peer) } }
        case let .deliver(envelope):
            log.record(envelope, own: false, at: Date())
            for follower in followers[envelope.topic] ?? [] { follower(envelope) }
        case let .published(envelope):
            log.record(envelope, own: true, at: Date())
        case let .disconnect(peer, reason):
            let key = PeerKey(peer.publicKey)!
            if linked.remove(peer) != nil { links.hold(key, .gossip, false) }
            links.send(.gossip, .close, [], to: key)
            switch reason {
            case .misbehaving, .graylisted, .selfLink: links.close(key, reason: reason.description)
            case .tooManyPeers: break
            }
            logger.debug("gossip link closed", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
            loop.execute { self.process(.linkDown(peer)) }
        case let .graylist(peer, until):
            let left = until.duration(since: now)
            logger.notice("graylisted a gossip peer for invalid messages", metadata: ["peer": "\(peer)", "seconds": "\(left.components.seconds)"])
            links.refuse(PeerKey(peer.publicKey)!, until: .now() + .nanoseconds(left.nanosecondCount), reason: "graylisted for sending invalid gossip")
        case let .connect(peer):
            let key = PeerKey(peer.publicKey)!
            let links = self.links
            links.spawn {
                do {
                    try await links.ensureSession(with: key)
                    self.loop.execute { self.openOurLink(peer) }
                } catch {
                    self.loop.execute { self.process(.command(.removeCandidates([peer]))) }
                }
            }
        case let .requestPeers(count):
            findCandidates(count)
        case let .setTimer(timer, at):
            timers[timer]?.cancel()
            let delay = max(Int64(0), at.duration(since: now).nanosecondCount)
            timers[timer] = loop.scheduleTask(in: .nanoseconds(delay)) {
                self.timers[timer] = nil
                self.process(.timer(timer))
            }
        case let .commandFailed(command, error):
            logger.warning("gossip command failed", metadata: ["command": "\(command)", "error": "\(error)"])
        }
    }

    /// The core asked us to connect and the session is up: open the gossip link on it.
    func openOurLink(_ peer: GossipPeer) {
        guard !linked.contains(peer) else { return }
        let key = PeerKey(peer.publicKey)!
        guard links.send(.gossip, .open, [], to: key) else {
            process(.command(.removeCandidates([peer])))
            return
        }
        linked.insert(peer)
        links.hold(key, .gossip, true)
        process(.linkUp(peer))
    }

    /// Dials a few addresses from the DHT (at most once every 2 s) and offers the keys it proves as candidates.
    func findCandidates(_ count: Int) {
        let now = NIODeadline.now()
        if discovering { return }
        if let last = lastDiscovery, now - last < .seconds(2) { return }
        discovering = true
        lastDiscovery = now
        let links = self.links, discover = self.discover
        links.spawn {
            var keys: [PeerKey] = links.connectedPeers
            for address in await discover(count * 2) {
                if keys.count >= count * 2 { break }
                if let key = try? await links.connect(to: address, timeout: .seconds(3)), !keys.contains(key) { keys.append(key) }
            }
            self.loop.execute {
                self.discovering = false
                let peers = keys.map(Self.peer).filter { !self.linked.contains($0) }
                if !peers.isEmpty { self.process(.command(.addCandidates(peers))) }
            }
        }
    }
}

extension GossipDriver {
    /// Every 300 ms, one attack frame to each linked peer (only while misbehaving).
    func scheduleAttack() {
        guard misbehaviour != nil else { return }
        _ = loop.scheduleTask(in: .milliseconds(300)) {
            guard var m = self.misbehaviour else { return }
            let topic = self.core.topics.first ?? GossipTopics.announcements
            let unixMillis = UInt64(Date().timeIntervalSince1970 * 1000)
            for peer in self.linked.sorted() {
                let frame = m.attackFrame(topic: topic, victim: self.linked.sorted().first { $0 != peer } ?? peer, unixMillis: unixMillis)
                self.links.send(.gossip, .data, frame, to: PeerKey(peer.publicKey)!)
            }
            self.misbehaviour = m
            self.scheduleAttack()
        }
    }
}

/// The topics every node follows.
public enum GossipTopics {
    /// Public announcements: shared models and blocks, published improvements.
    public static let announcements: GossipTopic = "veector/announce"
}
