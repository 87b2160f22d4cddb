import ContentID
import VeectorTransfer
import VeectorWire

/// Runs the real `TransferCore` (fetching) and `ProviderCore` (serving) on every simulated peer,
/// deterministically from the scenario's seed.
///
/// `share` makes synthetic content with real CIDs on one peer; `fetch` has peers fetch it from
/// whichever peers hold it (the publisher first, then every peer that finished: a swarm). Providers
/// are found through a tracker that stands in for the DHT's `get_peers` (it lists every peer that
/// announced the content, crashed ones included, as a DHT would). Sessions are reliable ordered
/// streams with the virtual network's per-pair latency and jitter, each sender's uplink (peers get
/// a quarter to four times the scenario's uplink) and loss as a retransmission delay (one round
/// trip). `crash`/`crash-providers` stop peers mid-transfer with their stored chunks kept;
/// `restart` resumes their fetches from those chunks. `adversary transfer-garbage` peers announce
/// all content and serve garbage. Invariant: no honest peer ever stores a chunk that is not the
/// genuine one; see `TransferReport`.
public final class TransferSimulation {
    /// What is being run.
    public let scenario: Scenario
    /// The fetchers' settings.
    public let fetchConfiguration: TransferConfiguration
    /// The providers' settings.
    public let provideConfiguration: ProviderConfiguration
    /// Chunk size of shared content.
    public static let chunkSize = 256 << 10
    /// Providers handed out per tracker query.
    static let providersPerQuery = 20

    enum Event {
        case step(Int)
        case start(peer: Int)
        case fetchStart(peer: Int, CID)
        case fetchEvent(peer: Int, CID, TransferEvent, incarnation: Int)
        case linkOpen(Int, Int)
        case message(to: Int, from: Int, epoch: Int, bytes: [UInt8])
        case sent(by: Int, to: Int, epoch: Int)
    }

    var peers: [TransferSimPeer] = []
    var indexByKey: [TransferPeer: Int] = [:]
    var queue = EventQueue<Event>()
    var rng: SimRandom
    var contentRandom: SimRandom
    var trace = TraceHash()
    var now: Instant = .zero
    /// Sessions between the peers: who is connected, the partition, delays and loss.
    var network: SessionNetwork
    var events = 0

    // Content and the tracker.
    var contents: [CID: SharedContent] = [:]
    var names: [String: CID] = [:]
    var holders: [CID: [Int]] = [:]
    /// Whole-content checks of genuine content, computed once (see `wholeMatches`).
    var genuineWholeMatches: [CID: Bool] = [:]

    // Measurements.
    var requested: [Int: [CID: Instant]] = [:]
    var completedAt: [Int: [CID: Instant]] = [:]
    var failures: [String: Int] = [:]
    var totals = TransferStats()
    var resumed = 0
    var providerCrashes = 0
    var fetcherCrashes = 0
    /// Chunks resumed fetches already held, fetched after resuming, and asked for again (must be 0).
    var resumedChunksKept = 0, resumedChunksFetched = 0, resumedChunksRequestedAgain = 0
    var bannedAdversaries: Set<Int> = []
    var corruptStored: Set<Int> = []
    var violations: [String] = []

    /// Prepares a run: peers are created (not yet started), steps scheduled.
    public init(scenario: Scenario, fetchConfiguration: TransferConfiguration = TransferSimulation.defaultFetchConfiguration,
                provideConfiguration: ProviderConfiguration = TransferSimulation.defaultProvideConfiguration) {
        self.scenario = scenario
        self.fetchConfiguration = fetchConfiguration
        self.provideConfiguration = provideConfiguration
        let root = SimRandom(seed: scenario.seed ^ 0x7AA5_F3E2)
        rng = root.derived(0xFFFF_FFFF)
        network = SessionNetwork(conditions: scenario.network, peers: scenario.peers, random: root.derived(0xFFFF_FFFE))
        contentRandom = root.derived(0xFFFF_FFFC)
        var keyRandom = root.derived(0xFFFF_FFFD)
        let factors = [0.25, 0.5, 1, 1, 2, 4]
        for i in 0..<scenario.peers {
            let key = (0..<32).map { _ in UInt8(truncatingIfNeeded: keyRandom.next()) }
            let peer = try! TransferPeer(publicKey: key)   // 32 bytes: cannot fail
            let base = Double(max(scenario.network.uplinkBytesPerSecond, 0))
            let uplink = base == 0 ? 0 : base * factors[Int(keyRandom.next() % UInt64(factors.count))]
            peers.append(TransferSimPeer(index: i, key: peer, store: SimContentStore(), rng: root.derived(UInt64(i)), uplink: uplink))
            indexByKey[peer] = i
        }
        for (i, step) in scenario.timeline.enumerated() {
            queue.schedule(.step(i), at: Instant.zero.advanced(by: step.at))
        }
    }

    /// The fetch settings the simulator runs: the defaults with a shorter provider refresh.
    public static var defaultFetchConfiguration: TransferConfiguration {
        var c = TransferConfiguration()
        c.providerRefresh = .seconds(10)
        c.providerPatience = .seconds(120)
        return c
    }

    /// The serving settings: few upload slots per provider (so a swarm forms instead of everyone
    /// queueing at the publisher).
    public static var defaultProvideConfiguration: ProviderConfiguration {
        var c = ProviderConfiguration()
        c.maxPeers = 8
        c.maxQueuedPerPeer = 16
        c.maxQueuedTotal = 64
        return c
    }

    /// Runs to the scenario's end and reports. Violated invariants are in `report.violations`.
    public func run() -> TransferReport {
        let end = Instant.zero.advanced(by: scenario.duration)
        while let next = queue.nextTime, next <= end, let (time, event) = queue.pop() {
            now = time
            events += 1
            process(event)
        }
        now = end
        for i in peers.indices { for cid in peers[i].fetches.keys.sorted() { totals.add(peers[i].fetches[cid]!.stats) } }
        return makeReport()
    }

    private func process(_ event: Event) {
        switch event {
        case let .step(i):
            trace.add(now.nanoseconds); trace.add(0x5739 &+ UInt64(i))
            perform(scenario.timeline[i].step)
        case let .start(peer):
            start(peer)
        case let .fetchStart(peer, cid):
            beginFetch(peer, cid)
        case let .fetchEvent(peer, cid, event, incarnation):
            guard peers[peer].incarnation == incarnation else { return }
            if case .timer = event { trace.add(now.nanoseconds); trace.add(UInt64(peer)); trace.add(0x7133) }
            feed(peer, cid, event)
        case let .linkOpen(a, b):
            trace.add(now.nanoseconds); trace.add(0x11AA); trace.add(UInt64(a)); trace.add(UInt64(b))
            finishOpen(a, b)
        case let .message(to, from, epoch, bytes):
            trace.add(now.nanoseconds); trace.add(UInt64(to)); trace.add(UInt64(from)); trace.add(UInt64(bytes.count))
            trace.add(bytes.prefix(64))
            arrive(bytes, to: to, from: from, epoch: epoch)
        case let .sent(by, to, epoch):
            guard network.epoch(by, to) == epoch else { return }
            feedProvider(by, .sendCompleted(to: peers[to].key))
        }
    }

    /// Records a violated invariant with the time and the seed that reproduces it.
    func violate(_ what: String) {
        violations.append("at \(now): \(what) (seed \(scenario.seed))")
    }
}

extension TransferStats {
    /// Adds another core's counters (the per-peer breakdown is left out).
    mutating func add(_ s: TransferStats) {
        messagesIn += s.messagesIn; bytesIn += s.bytesIn; messagesOut += s.messagesOut; bytesOut += s.bytesOut
        chunksRequested += s.chunksRequested; chunksVerified += s.chunksVerified; bytesVerified += s.bytesVerified
        corruptChunks += s.corruptChunks; duplicateChunks += s.duplicateChunks; timeouts += s.timeouts
        busyReplies += s.busyReplies; manifestsReceived += s.manifestsReceived; manifestsRefused += s.manifestsRefused
        wholeMismatches += s.wholeMismatches
        for (k, v) in s.drops { drops[k, default: 0] += v }
    }
}
