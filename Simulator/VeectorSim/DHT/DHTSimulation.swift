import VeectorCrypto
import VeectorDHT
import VeectorWire

/// Runs a scenario over hundreds or thousands of peers, each running the real `DHTNode` core, on a
/// virtual network with virtual time — deterministically: the same scenario and seed give the same
/// trace hash, bit for bit.
///
/// The loop pops the earliest event (a datagram arriving, a timer firing, a scenario step), feeds
/// it to the peer's core with the current virtual time and the peer's own seeded random stream, and
/// carries out the actions the core returns: datagrams go through `VirtualNetwork`, timers into the
/// queue, command results into the metrics. Adversarial peers replace or wrap their core's
/// behaviour (see `DHTSimulation+Adversary.swift`); invariants are checked as the run goes.
public final class DHTSimulation {
    /// What is being run.
    public let scenario: Scenario
    /// The DHT settings every peer runs with.
    public let configuration: DHTConfiguration

    var network: VirtualNetwork
    var queue = EventQueue<SimEvent>()
    var peers: [SimPeer] = []
    var rng: SimRandom
    var trace = TraceHash()
    var now: Instant = .zero
    var nextCommand: UInt64 = 1
    var commands: [DHTCommandID: PendingCommand] = [:]
    var records: [PublishedRecord] = []
    var announcements: [Announcement] = []
    var metrics = SimulationMetrics()
    var violations: [String] = []
    var eventsProcessed = 0
    var reachedHonest: Set<Int> = []
    let sampleInterval: Duration

    enum SimEvent {
        case datagram(to: Int, from: Int, bytes: [UInt8])
        case timer(peer: Int, DHTTimer, incarnation: Int)
        case step(Int)
        case join(peer: Int, via: Int)
        case adversaryTick(peer: Int)
        case lookup(peer: Int, Purpose)
        case sample
    }

    enum Purpose {
        case bootstrap, publish(Int), announce(Int), findItem(Int), findPeers(Int)
    }

    struct PendingCommand {
        let peer: Int
        let purpose: Purpose
        let issuedAt: Instant
    }

    /// Prepares a run: peers are created (not yet started), steps and samples scheduled.
    public init(scenario: Scenario, configuration: DHTConfiguration = DHTSimulation.defaultConfiguration) {
        self.scenario = scenario
        self.configuration = configuration
        let root = SimRandom(seed: scenario.seed)
        rng = root.derived(0xFFFF_FFFF)
        network = VirtualNetwork(conditions: scenario.network, rng: root.derived(0xFFFF_FFFE))
        var idRandom = root.derived(0xFFFF_FFFD)
        for i in 0..<scenario.peers {
            let address = VirtualNetwork.address(ofPeer: i)
            let nat = idRandom.chance(scenario.natFraction)
            let upnp = nat && idRandom.chance(scenario.upnpFraction)
            network.addPeer(address, behindNAT: nat, upnp: upnp)
            network.isUp[i] = false
            peers.append(SimPeer(index: i, address: address, id: NodeID.random(using: &idRandom), node: nil,
                                 rng: root.derived(UInt64(i))))
        }
        for (i, step) in scenario.timeline.enumerated() {
            queue.schedule(.step(i), at: Instant.zero.advanced(by: step.at))
        }
        sampleInterval = .nanoseconds(max(scenario.duration.nanosecondCount / 120, 1_000_000_000))
        queue.schedule(.sample, at: .zero)
    }

    /// The settings the simulator runs peers with: the node's defaults, without BEP 42 enforcement
    /// (simulated addresses are private, where BEP 42 does not apply).
    public static var defaultConfiguration: DHTConfiguration {
        DHTConfiguration(routing: RoutingTableConfiguration(enforceBEP42: false))
    }

    /// Runs to the scenario's end and reports. Violated invariants are in `report.violations`.
    public func run() -> SimulationReport {
        let end = Instant.zero.advanced(by: scenario.duration)
        while let next = queue.nextTime, next <= end, let (time, event) = queue.pop() {
            now = time
            eventsProcessed += 1
            process(event)
        }
        now = end
        checkStoredItems()
        return makeReport()
    }

    private func process(_ event: SimEvent) {
        switch event {
        case let .datagram(to, from, bytes):
            trace.add(now.nanoseconds); trace.add(UInt64(to)); trace.add(UInt64(from)); trace.add(bytes)
            deliver(bytes, to: to, from: from)
        case let .timer(peer, timer, incarnation):
            guard peers[peer].incarnation == incarnation, peers[peer].isRunning else { return }
            trace.add(now.nanoseconds); trace.add(UInt64(peer)); trace.add(0x7133)
            feed(peer, .timer(timer))
        case let .step(i):
            trace.add(now.nanoseconds); trace.add(0x5739 &+ UInt64(i))
            perform(scenario.timeline[i].step)
        case let .join(peer, via):
            guard !peers[peer].crashed else { return }
            start(peer, via: via)
        case let .adversaryTick(peer):
            adversaryTick(peer)
        case let .lookup(peer, purpose):
            guard peers[peer].isRunning, peers[peer].isHonest else { return }
            switch purpose {
            case let .findItem(r): command(peer, .getItem(target: records[r].target, salt: records[r].salt), purpose)
            case let .findPeers(a): command(peer, .getPeers(infoHash: announcements[a].infoHash), purpose)
            default: break
            }
        case .sample:
            sample()
            queue.schedule(.sample, at: now.advanced(by: sampleInterval))
        }
    }

    /// Hands a datagram to its destination: the core, or the attacker's own logic.
    private func deliver(_ bytes: [UInt8], to: Int, from: Int) {
        guard peers[to].isRunning else { return }
        if let kind = peers[to].adversary, adversaryIntercepts(kind, bytes: bytes, to: to, from: from) { return }
        feed(to, .datagram(from: peers[from].address, bytes: bytes))
    }

    /// Feeds one event to a peer's core and carries out its actions.
    func feed(_ i: Int, _ event: DHTEvent) {
        guard var node = peers[i].node else { return }
        let actions = node.handle(event, now: now, rng: &peers[i].rng)
        peers[i].node = node
        for action in actions {
            switch action {
            case let .send(to, bytes):
                send(bytes, from: i, to: to)
            case let .setTimer(timer, at):
                queue.schedule(.timer(peer: i, timer, incarnation: peers[i].incarnation), at: max(at, now))
            case let .complete(id, result):
                trace.add(now.nanoseconds); trace.add(id.rawValue)
                completed(id, result)
            }
        }
    }

    /// Puts a datagram on the virtual network.
    func send(_ bytes: [UInt8], from i: Int, to address: PeerAddress, extraDelay: Duration = .zero) {
        metrics.datagrams += 1
        metrics.bytes += bytes.count
        if !peers[i].isHonest { peers[i].adversaryMessages += 1; metrics.adversaryBytes += bytes.count }
        guard let to = network.index(of: address) else {
            _ = network.transmit(bytes.count, from: i, to: address, now: now)
            return
        }
        var delay = extraDelay
        if peers[i].adversary == .delay { delay += .milliseconds(1800) }
        if case let .success(arrival) = network.transmit(bytes.count, from: i, to: address, now: now) {
            queue.schedule(.datagram(to: to, from: i, bytes: bytes), at: arrival.advanced(by: delay))
        }
    }

    /// Issues a command to a peer's core.
    func command(_ peer: Int, _ command: DHTCommand, _ purpose: Purpose) {
        let id = DHTCommandID(nextCommand)
        nextCommand += 1
        commands[id] = PendingCommand(peer: peer, purpose: purpose, issuedAt: now)
        feed(peer, .command(id, command))
    }
}
