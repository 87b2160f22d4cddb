import VeectorCrypto
import VeectorGossip
import VeectorWire

/// Runs the real `GossipNode` on every simulated peer, deterministically from the scenario's seed.
///
/// Links are what encrypted sessions give the core: reliable ordered byte streams with the
/// virtual network's latency (the same per-pair base delay as datagrams, plus jitter) and each
/// sender's uplink bandwidth, and no per-packet loss. A partition, a crash or a `disconnect` takes a
/// link down (`linkDown` on both ends; frames in flight are lost with it). `connect` opens a link
/// after one round trip if the other peer is up and reachable; `requestPeers` is answered with
/// random running peers (as the DHT would); `sendCompleted` follows each frame's arrival.
/// Scenario steps: `join`, `gossip`, `partition`, `heal`, `crash`, `restart`, `leave` and the
/// `adversary gossip-…` kinds; the DHT-only steps are ignored. Invariants are checked as the run
/// goes (no honest peer delivers or forwards anything not genuinely published) and at the end
/// (every honest peer connected to the others got every message); see `GossipReport`.
public final class GossipSimulation {
    /// What is being run.
    public let scenario: Scenario
    /// The gossip settings every peer runs with.
    public let configuration: GossipConfiguration
    /// The topic all messages go on.
    public static let topic: GossipTopic = "veesim"
    /// Unix milliseconds at virtual time zero (envelope timestamps).
    static let unixMillisAtZero: UInt64 = 1_800_000_000_000

    enum Event {
        case step(Int)
        case start(peer: Int)
        case timer(peer: Int, GossipTimer, incarnation: Int)
        case linkOpen(Int, Int)
        case frame(to: Int, from: Int, epoch: Int, bytes: [UInt8], id: GossipMessageID?)
        case publish(peer: Int, serial: Int)
        case attack(peer: Int, incarnation: Int)
        case sample
    }

    var peers: [GossipSimPeer] = []
    var indexByKey: [GossipPeer: Int] = [:]
    var queue = EventQueue<Event>()
    var rng: SimRandom
    var trace = TraceHash()
    var now: Instant = .zero
    /// Links between the peers: who is linked, the partition, delays.
    var network: SessionNetwork
    var violations: [String] = []
    var events = 0
    var serial = 0
    let sampleInterval: Duration

    // Measurements.
    var origins: [GossipMessageID: GossipOrigin] = [:]
    var deliveredAt: [GossipMessageID: [Int: Instant]] = [:]
    var copies: [GossipMessageID: [Int: Int]] = [:]
    var badReached: Set<Int> = []
    var graylistedAttackers: Set<Int> = []
    var attackFrames = 0, attackBytes = 0, totalFrames = 0, totalBytes = 0
    var honestRejections = 0
    var commandFailures = 0
    var samples: [GossipReport.Point] = []
    var honestDeliveries = 0
    /// Message IDs of the full-message frames honest peers sent, by frame bytes (see `checkOutgoing`).
    var frameIDs: [ByteKey: GossipMessageID] = [:]
    /// Frame decoding and signature checks every node's core is given (see `SharedWireChecks`).
    let wireChecks: GossipWireChecks

    /// Prepares a run: peers are created (not yet started), steps and samples scheduled.
    /// `sharingChecks` gives every node the same `SharedWireChecks` (each distinct frame decoded and
    /// each distinct signature verified once per run); false gives each node the standard checks,
    /// run on every frame — slower, and the same run to the bit.
    public init(scenario: Scenario, configuration: GossipConfiguration = GossipSimulation.defaultConfiguration,
                sharingChecks: Bool = true) {
        self.scenario = scenario
        self.configuration = configuration
        wireChecks = sharingChecks ? SharedWireChecks().checks : .standard
        let root = SimRandom(seed: scenario.seed ^ 0x6055_1900)
        rng = root.derived(0xFFFF_FFFF)
        network = SessionNetwork(conditions: scenario.network, peers: scenario.peers, random: root.derived(0xFFFF_FFFE))
        var keyRandom = root.derived(0xFFFF_FFFD)
        for i in 0..<scenario.peers {
            var seed = [UInt8](repeating: 0, count: SigningKeyPair.seedBytes)
            for k in seed.indices { seed[k] = UInt8(truncatingIfNeeded: keyRandom.next()) }
            let keys = try! SigningKeyPair(seed: seed)   // 32 bytes: cannot fail
            peers.append(GossipSimPeer(index: i, keys: keys, identity: GossipPeer(keys), rng: root.derived(UInt64(i))))
            indexByKey[GossipPeer(keys)] = i
        }
        for (i, step) in scenario.timeline.enumerated() {
            queue.schedule(.step(i), at: Instant.zero.advanced(by: step.at))
        }
        sampleInterval = .nanoseconds(max(scenario.duration.nanosecondCount / 120, 1_000_000_000))
        queue.schedule(.sample, at: .zero)
    }

    /// The settings the simulator runs peers with: the node's defaults with the repair timings the
    /// gossip core's own network tests use (links here are 10–80 ms, not intercontinental).
    public static var defaultConfiguration: GossipConfiguration {
        var c = GossipConfiguration()
        c.lazyDelay = .milliseconds(20)
        c.repairTimeout = .milliseconds(400)
        c.repairRetry = .milliseconds(300)
        c.maxEagerPeers = 3
        return c
    }

    /// Runs to the scenario's end and reports. Violated invariants are in `report.violations`.
    public func run() -> GossipReport {
        let end = Instant.zero.advanced(by: scenario.duration)
        while let next = queue.nextTime, next <= end, let (time, event) = queue.pop() {
            now = time
            events += 1
            process(event)
        }
        now = end
        checkConvergence()
        return makeReport()
    }

    private func process(_ event: Event) {
        switch event {
        case let .step(i):
            trace.add(now.nanoseconds); trace.add(0x5739 &+ UInt64(i))
            perform(scenario.timeline[i].step)
        case let .start(peer):
            start(peer)
        case let .timer(peer, timer, incarnation):
            guard peers[peer].incarnation == incarnation, peers[peer].isRunning else { return }
            trace.add(now.nanoseconds); trace.add(UInt64(peer)); trace.add(0x7133)
            feed(peer, .timer(timer))
        case let .linkOpen(a, b):
            trace.add(now.nanoseconds); trace.add(0x11AA); trace.add(UInt64(a)); trace.add(UInt64(b))
            finishOpen(a, b)
        case let .frame(to, from, epoch, bytes, id):
            trace.add(now.nanoseconds); trace.add(UInt64(to)); trace.add(UInt64(from)); trace.add(bytes)
            arrive(bytes, to: to, from: from, epoch: epoch, id: id)
        case let .publish(peer, serial):
            guard peers[peer].isRunning, peers[peer].isHonest else { return }
            trace.add(now.nanoseconds); trace.add(0x9B1B); trace.add(UInt64(peer))
            feed(peer, .command(.publish(Self.topic, .inline(Array("veesim message \(serial) from peer \(peer)".utf8)))))
        case let .attack(peer, incarnation):
            guard peers[peer].incarnation == incarnation, peers[peer].isRunning else { return }
            attack(peer)
            let interval = 1_000_000_000 / Int64(max(1, peers[peer].rate))
            queue.schedule(.attack(peer: peer, incarnation: incarnation), at: now.advanced(by: .nanoseconds(interval)))
        case .sample:
            sample()
            queue.schedule(.sample, at: now.advanced(by: sampleInterval))
        }
    }

    /// Feeds one event to a peer's core and carries out its actions.
    func feed(_ i: Int, _ event: GossipEvent) {
        // The core is mutated in place where it lies (never copied: a copy of a core is two dozen
        // retains, and its tables would no longer be uniquely referenced); its random stream is
        // lent through a local, as two simultaneous accesses to `peers[i]` are not allowed.
        guard peers[i].node != nil else { return }
        let before = peers[i].node!.stats.rejectionCount
        var rng = peers[i].rng
        let actions = peers[i].node!.handle(event, now: now, rng: &rng)
        peers[i].rng = rng
        if peers[i].isHonest { honestRejections += peers[i].node!.stats.rejectionCount - before }
        for action in actions {
            switch action {
            case let .send(peer, bytes):
                guard let j = indexByKey[peer] else { continue }
                var id: GossipMessageID?
                if isMessageFrame(bytes) { id = checkOutgoing(bytes, from: i) }
                transmit(bytes, from: i, to: j, id: id)
            case let .deliver(envelope):
                delivered(envelope, at: i)
            case let .published(envelope):
                origins[envelope.id] = GossipOrigin(author: i, time: now, duringPartition: network.partitioned)
                trace.add(envelope.id.digest)
            case let .disconnect(peer, _):
                if let j = indexByKey[peer] { close(i, j) }
            case let .graylist(peer, _):
                if let j = indexByKey[peer], peers[i].isHonest, !peers[j].isHonest { graylistedAttackers.insert(j) }
            case let .connect(peer):
                if let j = indexByKey[peer] { open(i, j) }
            case let .requestPeers(count):
                feed(i, .command(.addCandidates(randomRunning(count * 2, excluding: i))))
            case let .setTimer(timer, at):
                queue.schedule(.timer(peer: i, timer, incarnation: peers[i].incarnation), at: max(at, now))
            case .commandFailed:
                commandFailures += 1
            }
        }
    }

    /// Up to `count` distinct running peers other than `i`, chosen with the run's random stream.
    func randomRunning(_ count: Int, excluding i: Int) -> [GossipPeer] {
        let pool = peers.indices.filter { $0 != i && peers[$0].isRunning }
        return rng.pick(count, from: pool).map { peers[$0].identity }
    }
}

extension GossipStats {
    /// Frames rejected for any reason.
    var rejectionCount: Int { rejections.values.reduce(0, +) }
}
