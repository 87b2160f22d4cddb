import VeectorWire

extension DHTNode {
    /// Starts an iterative lookup seeded from the routing table (plus `extraSeeds`).
    mutating func startLookup(_ kind: DHTOperation.Kind, _ lookupKind: LookupKind, target: NodeID, extraSeeds: [NodeContact] = [],
                              command: DHTCommandID?, now: Instant, rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        let seeds = routingTable.closest(to: target, count: configuration.lookup.resultCount, now: now) + extraSeeds
        guard !seeds.isEmpty else {
            if let command { out.append(.complete(command, .failed(.noKnownNodes))) }
            return
        }
        routingTable.touchBucket(containing: target, now: now)
        let lookup = Lookup(ownID: ownID, target: target, kind: lookupKind, seeds: seeds, configuration: configuration.lookup)
        let n = add(DHTOperation(command: command, kind: kind, phase: .looking(lookup)))
        stepLookup(n, .start, now: now, rng: &rng, into: &out)
    }

    /// Feeds operation `n`'s lookup one event and carries out what it asks.
    mutating func stepLookup(_ n: Int, _ event: LookupEvent, now: Instant, rng: inout some RandomNumberGenerator,
                             into out: inout [DHTAction]) {
        // Taken out of the dictionary while it runs, so the lookup is not copied on write.
        guard var op = operations.removeValue(forKey: n) else { return }
        guard case var .looking(lookup) = op.phase else {
            operations[n] = op
            return
        }
        op.phase = .waiting
        let actions = lookup.handle(event, now: now, rng: &rng)
        op.phase = .looking(lookup)
        operations[n] = op
        for action in actions {
            switch action {
            case let .send(message, to):
                guard case let .query(query) = message.body else { continue }
                sendQuery(query, to: to, expecting: lookup.node(inFlight: message.transactionID),
                          purpose: .lookup(operation: n, lookupTransactionID: message.transactionID),
                          timeout: configuration.lookup.queryTimeout, now: now, rng: &rng, into: &out)
            case .setTimer:
                break   // sendQuery set the wire query's own timer
            case let .finished(result):
                lookupFinished(n, result, now: now, rng: &rng, into: &out)
            }
        }
    }

    /// A lookup ended: report it, or go on to the writes.
    private mutating func lookupFinished(_ n: Int, _ result: LookupResult, now: Instant, rng: inout some RandomNumberGenerator,
                                         into out: inout [DHTAction]) {
        guard let op = operations[n] else { return }
        switch op.kind {
        case .findNode, .refresh, .ping:
            finish(n, .nodes(result), into: &out)
        case let .bootstrap(contacted, answered):
            // Kademlia's join: refresh every bucket farther than our neighbours (the ones still
            // empty or untouched), so the table knows every region of the key space before the
            // bootstrap reports done.
            let room = max(0, configuration.maxOperations - operations.count)
            let refreshes = routingTable.refreshTargets(now: now, rng: &rng).prefix(room)
            guard !refreshes.isEmpty else {
                return finish(n, .bootstrapped(DHTBootstrapReport(contacted: contacted, answered: answered,
                                                                  routingTableSize: routingTable.count, lookup: result)), into: &out)
            }
            operations[n]?.phase = .refreshing(remaining: refreshes.count, result: result)
            for refresh in refreshes {
                startLookup(.joinRefresh(parent: n), .findNode, target: refresh.target, command: nil, now: now, rng: &rng, into: &out)
            }
        case let .joinRefresh(parent):
            finish(n, .nodes(result), into: &out)
            guard let op = operations[parent], case let .bootstrap(contacted, answered) = op.kind,
                  case let .refreshing(remaining, selfLookup) = op.phase else { return }
            guard remaining == 1 else {
                operations[parent]?.phase = .refreshing(remaining: remaining - 1, result: selfLookup)
                return
            }
            finish(parent, .bootstrapped(DHTBootstrapReport(contacted: contacted, answered: answered,
                                                            routingTableSize: routingTable.count, lookup: selfLookup)), into: &out)
        case .getPeers:
            finish(n, .peers(result), into: &out)
        case let .getItem(target, salt):
            finish(n, .item(Self.bestItem(in: result, target: target, salt: salt), lookup: result), into: &out)
        case let .announce(infoHash, port):
            let me = ownID
            startWrites(n, result: result, now: now, rng: &rng, into: &out) { token in
                switch port {
                case let .port(p): .announcePeer(AnnouncePeerArguments(id: me, infoHash: infoHash, port: p, token: token))
                case .implied: .announcePeer(AnnouncePeerArguments(id: me, infoHash: infoHash, port: 0, impliedPort: true, token: token))
                }
            }
        case let .put(item, cas):
            let me = ownID
            startWrites(n, result: result, now: now, rng: &rng, into: &out) { token in
                .put(PutArguments(id: me, token: token, item: item, cas: cas))
            }
        }
    }

    /// Sends the write made by `query(token)` to each of the closest responders that gave a token.
    private mutating func startWrites(_ n: Int, result: LookupResult, now: Instant, rng: inout some RandomNumberGenerator,
                                      into out: inout [DHTAction], query: ([UInt8]) -> KRPCQuery) {
        let targets = result.closest.compactMap { r in r.token.map { (r.contact, $0) } }
        let report = DHTStoreReport(target: result.target, asked: targets.count, stored: 0, rejections: [], lookup: result)
        guard !targets.isEmpty else { return finish(n, .stored(report), into: &out) }
        operations[n]?.phase = .storing(StoreProgress(outstanding: targets.count, report: report))
        for (contact, token) in targets {
            sendQuery(query(token), to: contact.address, expecting: contact.id, purpose: .store(operation: n),
                      timeout: configuration.queryTimeout, now: now, rng: &rng, into: &out)
        }
    }

    /// A write's reply (nil: timed out).
    mutating func storeSettled(_ n: Int, reply: KRPCMessage?, into out: inout [DHTAction]) {
        guard case var .storing(progress) = operations[n]?.phase else { return }
        progress.outstanding -= 1
        switch reply?.body {
        case .response?: progress.report.stored += 1
        case let .error(e)?: if progress.report.rejections.count < 16 { progress.report.rejections.append(e) }
        default: break
        }
        if progress.outstanding == 0 { return finish(n, .stored(progress.report), into: &out) }
        operations[n]?.phase = .storing(progress)
    }

    /// The item a get lookup found: an immutable value hashing to `target`, or the validly signed
    /// mutable item under `target` with the highest `seq`.
    static func bestItem(in result: LookupResult, target: NodeID, salt: [UInt8]) -> DHTItem? {
        var best: MutableItem?
        for found in result.items {
            let r = found.response
            if r.publicKey != nil {
                guard let m = r.mutableItem(salt: salt), m.target == target, best.map({ m.seq > $0.seq }) ?? true,
                      BEP44.rejection(of: .mutable(m)) == nil else { continue }
                best = m
            } else if let v = r.value, BEP44.immutableTarget(value: v) == target, BEP44.rejection(of: .immutable(v)) == nil {
                return .immutable(v)
            }
        }
        return best.map { .mutable($0) }
    }
}
