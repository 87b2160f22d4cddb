/// The outcome of one run: what to read (`summary`), what to parse (`Codable`, for `--json`) and what
/// to plot (`timeline`).
public struct SimulationReport: Codable, Sendable {
    /// Scenario name.
    public var scenario: String
    /// The seed: rerun with `veesim --seed` to reproduce a run exactly.
    public var seed: UInt64
    /// Peers simulated.
    public var peers: Int
    /// Simulated time, seconds.
    public var simulatedSeconds: Double
    /// Events processed by the loop.
    public var events: Int
    /// FNV-1a hash of the whole event trace: the same for the same scenario and seed.
    public var traceHash: String

    /// DHT lookups for existing records (items) and announced providers (peers).
    public struct Lookups: Codable, Sendable {
        /// Lookups finished.
        public var finished: Int
        /// Lookups that found the record (a genuine version) or the announcing peer.
        public var succeeded: Int
        /// `succeeded / finished`.
        public var successRate: Double
        /// Item lookups: finished, succeeded.
        public var itemLookups: Int, itemSucceeded: Int
        /// Peer lookups: finished, succeeded.
        public var peerLookups: Int, peerSucceeded: Int
        /// Referral hops of the closest responder.
        public var hops: Percentiles
        /// Virtual milliseconds from command to result.
        public var latencyMilliseconds: Percentiles
        /// Queries sent per lookup.
        public var queries: Percentiles
        /// Lookups for keys an eclipse attack targeted: finished, succeeded.
        public var eclipsedFinished: Int, eclipsedSucceeded: Int
    }
    /// Lookup figures.
    public var lookups: Lookups

    /// Network totals.
    public struct Traffic: Codable, Sendable {
        /// Datagrams sent by everyone.
        public var datagrams: Int
        /// Bytes sent by everyone.
        public var bytes: Int
        /// Datagrams delivered by the virtual network.
        public var delivered: Int
        /// Datagrams dropped, by reason (loss, partition, nat, down).
        public var dropped: [String: Int]
        /// Datagrams honest peers dropped because of their per-address rate limit.
        public var rateLimited: Int
        /// Datagrams honest peers dropped as malformed.
        public var malformed: Int
    }
    /// Traffic figures.
    public var traffic: Traffic

    /// Attackers and how far they got.
    public struct Adversaries: Codable, Sendable {
        /// Attackers by kind.
        public var byKind: [String: Int]
        /// Datagrams the attackers sent.
        public var messages: Int
        /// Their share of all bytes sent.
        public var trafficShare: Double
        /// Honest peers holding a forged or rolled-back record, or that accepted one from a lookup:
        /// must be zero.
        public var honestPeersReached: Int
    }
    /// Adversary figures.
    public var adversaries: Adversaries

    /// Routing convergence: seconds from the start until 99 % of running honest peers had a full
    /// routing neighbourhood (≥ min(k, peers − 1) nodes), nil if never.
    public var convergenceSeconds: Double?
    /// Running peers at the end; crashes and restarts seen.
    public var runningPeers: Int, crashes: Int, restarts: Int
    /// Store operations: nodes that acknowledged each publish/announce.
    public var storeAcks: Percentiles
    /// Gossip figures in words (`GossipReport.summary`); nil when the run did not gossip.
    public var gossip: String?
    /// Gossip figures in full; nil when the run did not gossip.
    public var gossipDetails: GossipReport? = nil
    /// Transfer figures in words (`TransferReport.summary`); nil when the run shared no content.
    public var transfer: String? = nil
    /// Transfer figures in full; nil when the run shared no content.
    public var transferDetails: TransferReport? = nil
    /// Invariants that failed, each with the time and what happened. Empty on a good run.
    public var violations: [String]

    /// One point of the run over time.
    public struct Point: Codable, Sendable {
        /// Seconds since the start.
        public var seconds: Double
        /// Running peers.
        public var running: Int
        /// Running honest peers with a full routing neighbourhood.
        public var converged: Int
        /// Lookups finished and succeeded so far.
        public var lookupsDone: Int, lookupsSucceeded: Int
        /// Mean routing-table size of running honest peers.
        public var meanTableSize: Double
    }
    /// The run over time (about 120 points).
    public var timeline: [Point]
}

extension SimulationReport {
    /// Adds a gossip run's figures to this report: its summary, its details and its violations.
    public mutating func attachGossip(_ report: GossipReport) {
        gossip = report.summary
        gossipDetails = report
        violations += report.violations
    }
}

extension SimulationReport {
    /// Adds a transfer run's figures to this report: its summary, its details and its violations.
    public mutating func attachTransfer(_ report: TransferReport) {
        transfer = report.summary
        transferDetails = report
        violations += report.violations
    }
}
