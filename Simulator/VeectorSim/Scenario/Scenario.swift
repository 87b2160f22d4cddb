/// A simulation to run: how many peers, for how long, on what network, and what happens when.
///
/// Written by people as a small text file (see `ScenarioParser` and `Docs/simulator.md`); flags of
/// `veesim` override `peers`, `seed` and `duration`.
public struct Scenario: Sendable, Equatable {
    /// A name for reports (the file name without extension).
    public var name: String
    /// Number of peers.
    public var peers: Int
    /// Simulated time to run.
    public var duration: Duration
    /// The run's seed.
    public var seed: UInt64
    /// Latency, jitter, loss, bandwidth.
    public var network: NetworkConditions
    /// Fraction of peers behind a NAT.
    public var natFraction: Double
    /// Fraction of NATed peers whose NAT is opened by UPnP.
    public var upnpFraction: Double
    /// What happens, in time order.
    public var timeline: [TimedStep]
    /// Expectations checked at the end (the run fails loudly, with its seed, when one is not met).
    public var expectations: [Expectation]

    /// A scenario with defaults: 100 peers, 10 simulated minutes, seed 1, broadband, no NAT, no steps.
    public init(name: String = "default", peers: Int = 100, duration: Duration = .seconds(600), seed: UInt64 = 1,
                network: NetworkConditions = NetworkConditions(), natFraction: Double = 0, upnpFraction: Double = 0,
                timeline: [TimedStep] = [], expectations: [Expectation] = []) {
        self.name = name
        self.peers = peers
        self.duration = duration
        self.seed = seed
        self.network = network
        self.natFraction = natFraction
        self.upnpFraction = upnpFraction
        self.timeline = timeline
        self.expectations = expectations
    }
}

/// One step of a scenario's timeline.
public struct TimedStep: Sendable, Equatable {
    /// When it happens, from the start of the run.
    public var at: Duration
    /// What happens.
    public var step: ScenarioStep
    /// The line of the scenario file it came from (for error messages), 0 if built in code.
    public var line: Int

    /// A step at `at`.
    public init(at: Duration, step: ScenarioStep, line: Int = 0) {
        self.at = at
        self.step = step
        self.line = line
    }
}

/// Who a step applies to: every peer, a fraction of them, or an exact count (chosen with the run's seed).
public enum PeerSelection: Sendable, Equatable {
    case all
    case fraction(Double)
    case count(Int)

    /// How many of `total` peers this selects.
    public func resolve(total: Int) -> Int {
        switch self {
        case .all: return total
        case let .fraction(f): return min(total, Int((Double(total) * f).rounded()))
        case let .count(n): return min(total, n)
        }
    }
}

/// What adversarial peers do.
public enum AdversaryKind: String, Sendable, Equatable, CaseIterable {
    /// Never answer anything (a black hole in routing tables).
    case drop
    /// Answer, but late (just under typical timeouts).
    case delay
    /// Publish items and announcements with forged signatures.
    case forge
    /// Re-send old signed items (lower sequence numbers) to roll records back.
    case replay
    /// Send a flood of queries at a victim.
    case flood
    /// Answer lookups with made-up nodes and values.
    case lie
    /// Take many node IDs next to one key to cut it off from honest peers.
    case eclipse
}

/// One thing that happens in a scenario.
public enum ScenarioStep: Sendable, Equatable {
    /// Peers start and bootstrap through `via` (a peer index), their starts spread over `over`.
    case join(PeerSelection, via: Int, over: Duration)
    /// Random honest peers each publish a signed mutable record (their endpoint record).
    case publish(count: Int)
    /// Random honest peers each announce themselves as provider of a content ID.
    case announce(count: Int)
    /// Random honest peers look up published records and announced content IDs (`count` lookups).
    case lookup(count: Int)
    /// Peers split into two groups that cannot reach each other (the fraction in the second group).
    case partition(Double)
    /// The partition ends.
    case heal
    /// Peers crash (keeping their stored state).
    case crash(PeerSelection)
    /// Every crashed peer restarts from its stored state.
    case restart
    /// Peers leave gracefully (and do not come back).
    case leave(PeerSelection)
    /// Some peers turn adversarial.
    case adversary(AdversaryKind, PeerSelection, rate: Int)
    /// Random honest peers publish `count` gossip messages on one topic, spread over 10 s
    /// (run by `GossipSimulation`; the DHT simulation ignores it).
    case gossip(count: Int)
    /// Some peers turn into gossip attackers sending `rate` bad frames per second (run by
    /// `GossipSimulation`; the DHT simulation ignores it).
    case gossipAdversary(GossipAdversaryKind, PeerSelection, rate: Int)
    /// Peer `peer` makes `size` bytes of synthetic content, called `name`, and announces it
    /// (run by `TransferSimulation`; the other simulations ignore it).
    case share(peer: Int, size: Int, name: String)
    /// Peers fetch the content called `name` (or written as its CID), their starts spread over
    /// `over` (run by `TransferSimulation`).
    case fetch(FetchSelection, name: String, over: Duration)
    /// Peers that are serving chunks right now crash (keeping their stored chunks), mid-transfer
    /// (run by `TransferSimulation`).
    case crashProviders(PeerSelection)
    /// Peers that are fetching right now and hold some but not all of the content crash (keeping
    /// their stored chunks); at `restart` they resume and fetch only the chunks they lack (run by
    /// `TransferSimulation`).
    case crashFetchers(PeerSelection)
    /// Some peers turn into transfer attackers: they announce every shared content and serve
    /// garbage chunks (run by `TransferSimulation`).
    case transferAdversary(PeerSelection)
}

/// Who fetches: one peer by index, or a selection of running honest peers that lack the content.
public enum FetchSelection: Sendable, Equatable {
    /// The peer with this index.
    case peer(Int)
    /// A selection of the running honest peers that lack the content.
    case some(PeerSelection)
}

extension Scenario {
    /// True when the timeline has gossip statements, so `veesim` runs the gossip simulation too.
    public var hasGossip: Bool {
        timeline.contains {
            switch $0.step {
            case .gossip, .gossipAdversary: true
            default: false
            }
        }
    }
}

extension Scenario {
    /// True when the timeline has transfer statements, so `veesim` runs the transfer simulation too.
    public var hasTransfer: Bool {
        timeline.contains {
            switch $0.step {
            case .share, .fetch, .crashProviders, .crashFetchers, .transferAdversary: true
            default: false
            }
        }
    }
}

/// A condition a run must meet.
public enum Expectation: Sendable, Equatable {
    /// At least this fraction of lookups for existing records succeed.
    case lookupSuccess(atLeast: Double)
    /// No honest peer accepts forged or invalid data (always checked; listing it makes it explicit).
    case noForgedAccepted
}
