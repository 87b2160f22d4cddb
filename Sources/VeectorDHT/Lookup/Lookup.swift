import VeectorWire

/// An iterative Kademlia lookup (find_node, get_peers or BEP 44 get) as a pure state machine:
/// events in (`LookupEvent`), actions out (`LookupAction`), time and randomness injected.
///
/// It keeps a shortlist sorted by XOR distance to the target, keeps `parallelism` queries in
/// flight to the closest unqueried candidates among the k closest not yet failed, and finishes
/// when those k closest have all answered (or when no candidate is left).
public struct Lookup: Sendable {
    /// Our node ID, sent in every query.
    public let ownID: NodeID
    /// The ID looked up.
    public let target: NodeID
    /// Which query is sent.
    public let kind: LookupKind
    /// α, k, timeouts.
    public let configuration: LookupConfiguration

    private var candidates: [LookupCandidate] = []
    private var inFlight: [[UInt8]: NodeID] = [:]
    private var started = false
    /// True once `finished` has been emitted; later events produce no actions.
    public private(set) var isFinished = false
    private var peers: [PeerAddress] = []
    private var seenPeers: Set<PeerAddress> = []
    private var items: [LookupItem] = []
    private var queries = 0, responses = 0, failures = 0

    /// A lookup for `target` starting from `seeds` (typically our routing table's closest nodes).
    public init(ownID: NodeID, target: NodeID, kind: LookupKind, seeds: [NodeContact],
                configuration: LookupConfiguration = LookupConfiguration()) {
        self.ownID = ownID
        self.target = target
        self.kind = kind
        self.configuration = configuration
        for s in seeds { add(s, hops: 1) }
    }

    /// Feeds one event at `now`; returns what to do next.
    public mutating func handle(_ event: LookupEvent, now: Instant, rng: inout some RandomNumberGenerator) -> [LookupAction] {
        guard !isFinished else { return [] }
        switch event {
        case .start:
            guard !started else { return [] }
            started = true
        case let .response(from, message):
            guard let id = inFlight[message.transactionID], let i = index(of: id),
                  candidates[i].contact.address == from else { return [] }
            inFlight[message.transactionID] = nil
            guard case let .response(r) = message.body, r.id == id else {
                candidates[i].status = .failed
                failures += 1
                break
            }
            responses += 1
            candidates[i].status = .answered(token: r.token)
            let hops = candidates[i].hops + 1
            for p in r.values ?? [] where seenPeers.insert(p).inserted { peers.append(p) }
            if case .get = kind, r.value != nil || r.seq != nil {
                items.append(LookupItem(from: candidates[i].contact, response: r))
            }
            for n in r.nodes ?? [] { add(n, hops: hops) }
        case let .timeout(transactionID):
            guard let id = inFlight.removeValue(forKey: transactionID), let i = index(of: id) else { return [] }
            candidates[i].status = .failed
            failures += 1
        }
        return started ? pump(now: now, rng: &rng) : []
    }

    /// Sends queries up to α and detects the end.
    private mutating func pump(now: Instant, rng: inout some RandomNumberGenerator) -> [LookupAction] {
        var actions: [LookupAction] = []
        var considered = 0, done = true
        for i in candidates.indices where candidates[i].status != .failed {
            considered += 1
            if considered > configuration.resultCount { break }
            switch candidates[i].status {
            case .answered, .failed: continue
            case .inFlight: done = false
            case .fresh:
                done = false
                guard inFlight.count < configuration.parallelism else { continue }
                let tid = newTransactionID(rng: &rng)
                candidates[i].status = .inFlight(transactionID: tid)
                inFlight[tid] = candidates[i].contact.id
                queries += 1
                actions.append(.send(KRPCMessage(transactionID: tid, body: .query(query)), to: candidates[i].contact.address))
                actions.append(.setTimer(id: tid, at: now.advanced(by: configuration.queryTimeout)))
            }
        }
        if done {
            isFinished = true
            actions.append(.finished(result))
        }
        return actions
    }

    /// The ID of the node queried with `transactionID`, while that query is in flight.
    public func node(inFlight transactionID: [UInt8]) -> NodeID? { inFlight[transactionID] }

    /// The result so far (final once `isFinished`).
    public var result: LookupResult {
        var closest: [LookupResponder] = [], hops = 0
        for c in candidates where closest.count < configuration.resultCount {
            guard case let .answered(token) = c.status else { continue }
            closest.append(LookupResponder(contact: c.contact, token: token))
            hops = max(hops, c.hops)
        }
        return LookupResult(target: target, closest: closest, peers: peers, items: items,
                            queries: queries, responses: responses, failures: failures, hops: hops)
    }

    /// The query this lookup sends.
    private var query: KRPCQuery {
        switch kind {
        case .findNode: .findNode(id: ownID, target: target)
        case .getPeers: .getPeers(id: ownID, infoHash: target)
        case let .get(seq): .get(GetArguments(id: ownID, target: target, seq: seq))
        }
    }

    /// Adds a candidate in distance order unless it is us, already known, or too far to matter.
    private mutating func add(_ contact: NodeContact, hops: Int) {
        guard contact.id != ownID else { return }
        let pos = insertionPoint(for: contact.id)
        if pos < candidates.count, candidates[pos].contact.id == contact.id { return }
        if candidates.count >= configuration.maxCandidates {
            // Forget the farthest candidate that is not in flight, if it is farther than this one.
            guard let drop = candidates.lastIndex(where: { if case .inFlight = $0.status { false } else { true } }),
                  drop >= pos else { return }
            candidates.remove(at: drop)
        }
        candidates.insert(LookupCandidate(contact: contact, hops: hops), at: pos)
    }

    /// Binary search: the first index whose ID is not closer to the target than `id`.
    private func insertionPoint(for id: NodeID) -> Int {
        var lo = 0, hi = candidates.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if candidates[mid].contact.id.isCloser(to: target, than: id) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The shortlist position of `id`, if present.
    private func index(of id: NodeID) -> Int? {
        let i = insertionPoint(for: id)
        return i < candidates.count && candidates[i].contact.id == id ? i : nil
    }

    /// A random transaction ID not in flight.
    private func newTransactionID(rng: inout some RandomNumberGenerator) -> [UInt8] {
        while true {
            let tid = (0..<configuration.transactionIDBytes).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
            if inFlight[tid] == nil { return tid }
        }
    }
}
