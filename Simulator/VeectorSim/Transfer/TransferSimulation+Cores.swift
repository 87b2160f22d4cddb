import ContentID
import VeectorTransfer
import VeectorWire

extension TransferSimulation {
    /// Starts peer `i`'s fetch of `cid`, resuming from what its store holds (the saved manifest and
    /// chunks), unless it already has the content.
    func beginFetch(_ i: Int, _ cid: CID) {
        guard contents[cid] != nil, peers[i].isHonest, !peers[i].store.complete.contains(cid) else { return }
        if requested[i]?[cid] == nil { requested[i, default: [:]][cid] = now }
        peers[i].wanted[cid] = requested[i]![cid]!
        guard peers[i].isRunning, peers[i].fetches[cid] == nil else { return }
        let store = peers[i].store
        let held = store.heldChunkCIDs(cid)
        if !held.isEmpty {
            resumed += 1
            let indices = Set((store.chunks[cid] ?? [:]).keys)
            peers[i].heldAtResume[cid] = indices
            resumedChunksKept += indices.count
        }
        let request = TransferRequest(content: cid, manifest: store.manifests[cid], heldChunks: held)
        peers[i].fetches[cid] = TransferCore(request: request, configuration: fetchConfiguration)
        trace.add(now.nanoseconds); trace.add(0xFE7C); trace.add(UInt64(i))
        feed(i, cid, .start)
    }

    /// Feeds one event to peer `i`'s fetch of `cid` and carries out its actions.
    func feed(_ i: Int, _ cid: CID, _ event: TransferEvent) {
        // Takes the core out of the table while it runs, so its own tables are uniquely referenced
        // and mutated in place (a copy left in the table would make every event copy them).
        guard var core = peers[i].fetches.removeValue(forKey: cid) else { return }
        let actions = core.handle(event, now: now, rng: &peers[i].rng)
        peers[i].fetches[cid] = core
        for action in actions {
            switch action {
            case let .connect(peer):
                if let j = indexByKey[peer] { open(i, j) }
            case let .send(peer, bytes):
                if let held = peers[i].heldAtResume[cid] { checkResumedRequest(bytes, held: held, of: cid, at: i) }
                if let j = indexByKey[peer] { transmit(bytes, from: i, to: j) }
            case let .disconnect(peer, reason):
                guard reason.isMisbehaviour, let j = indexByKey[peer] else { continue }
                peers[i].refused.insert(j)
                if peers[j].adversary { bannedAdversaries.insert(j) }
                close(i, j)
            case let .setTimer(timer, at):
                queue.schedule(.fetchEvent(peer: i, cid, .timer(timer), incarnation: peers[i].incarnation), at: max(at, now))
            case let .store(index, bytes):
                stored(bytes, index: index, of: cid, manifest: core.chosenManifest, at: i)
            case let .checkWhole(m):
                let matches = wholeMatches(m, heldBy: i)
                queue.schedule(.fetchEvent(peer: i, cid, .wholeChecked(matches: matches), incarnation: peers[i].incarnation), at: now)
            case .needProviders:
                let list = trackerQuery(cid, for: i)
                queue.schedule(.fetchEvent(peer: i, cid, .addProviders(list), incarnation: peers[i].incarnation), at: now)
            case .progress:
                break
            case let .finished(m):
                finished(m, at: i, core: core)
            case let .failed(reason):
                trace.add(now.nanoseconds); trace.add(0xFA11); trace.add(UInt64(i))
                failures[failureName(reason), default: 0] += 1
                totals.add(core.stats)
                peers[i].fetches[cid] = nil
                peers[i].wanted[cid] = nil
                peers[i].heldAtResume[cid] = nil
            }
        }
    }

    /// Invariant of a resumed fetch: it asks only for chunks its store lacked when it resumed. Reads
    /// the request off the wire bytes (the real decoder), so what is checked is what was sent.
    func checkResumedRequest(_ bytes: [UInt8], held: Set<Int>, of cid: CID, at i: Int) {
        guard case let .want(_, indices)? = try? TransferMessage(decoding: bytes) else { return }
        for index in indices where held.contains(index) {
            resumedChunksRequestedAgain += 1
            violate("peer \(i) resumed its fetch of \(cid) and asked again for chunk \(index), which it held")
        }
    }

    /// A verified chunk to store. Invariant: it is the genuine chunk (an honest peer's core must
    /// never let anything else through).
    func stored(_ bytes: [UInt8], index: Int, of cid: CID, manifest: TransferManifest?, at i: Int) {
        guard let content = contents[cid], let m = manifest else { return }
        guard m == content.manifest, sameBytes(bytes, content.chunks[index]) else {
            corruptStored.insert(i)
            violate("honest peer \(i) stored chunk \(index) of \(cid) that is not the genuine chunk")
            return
        }
        if let held = peers[i].heldAtResume[cid] {
            if held.contains(index) { violate("peer \(i) resumed its fetch of \(cid) and stored chunk \(index) again") }
            resumedChunksFetched += 1
        }
        let store = peers[i].store
        store.manifests[cid] = m
        store.chunks[cid, default: [:]][index] = content.chunks[index]   // shared, not copied
    }

    /// The whole content is verified: the peer announces it and serves it from now on.
    func finished(_ m: TransferManifest, at i: Int, core: TransferCore) {
        let cid = m.content
        trace.add(now.nanoseconds); trace.add(0xD0E5); trace.add(UInt64(i))
        let store = peers[i].store
        if (store.chunks[cid]?.count ?? 0) != m.chunks.count { violate("peer \(i) finished \(cid) without holding every chunk") }
        store.complete.insert(cid)
        completedAt[i, default: [:]][cid] = now
        totals.add(core.stats)
        peers[i].fetches[cid] = nil
        peers[i].wanted[cid] = nil
        peers[i].heldAtResume[cid] = nil
        holders[cid, default: []].append(i)
    }

    /// Whether the chunks peer `i` stored for `m` hash to `m.content` (the driver's whole-content
    /// check). `stored` keeps only chunks byte-equal to the genuine ones, so when `m` is the genuine
    /// manifest and every chunk is held, the answer is the genuine whole's hash check — computed
    /// once per content (really hashed, then remembered) instead of re-hashing the same megabytes
    /// for every peer. Anything else is hashed as it is.
    func wholeMatches(_ m: TransferManifest, heldBy i: Int) -> Bool {
        let cid = m.content
        let held = peers[i].store.chunks[cid] ?? [:]
        if let content = contents[cid], m == content.manifest, held.count == m.chunks.count {
            if let known = genuineWholeMatches[cid] { return known }
            let matches = Self.hashWhole(m, content.chunks)
            genuineWholeMatches[cid] = matches
            return matches
        }
        return Self.hashWhole(m, m.chunks.indices.map { held[$0] ?? [] })
    }

    /// Hashes `chunks` as one content and compares with `m.content`.
    static func hashWhole(_ m: TransferManifest, _ chunks: [[UInt8]]) -> Bool {
        var hasher = ContentHasher()
        for chunk in chunks { hasher.update(chunk) }
        return hasher.finalize() == m.content
    }

    /// What the DHT's `get_peers` would answer: up to `providersPerQuery` announced holders.
    func trackerQuery(_ cid: CID, for i: Int) -> [TransferPeer] {
        let pool = (holders[cid] ?? []).filter { $0 != i && !peers[i].refused.contains($0) }
        return rng.pick(Self.providersPerQuery, from: pool).map { peers[$0].key }
    }

    /// Feeds one event to peer `i`'s provider and carries out its actions.
    func feedProvider(_ i: Int, _ event: ProviderEvent) {
        guard var core = peers[i].provider.take() else { return }   // uniquely referenced while it runs
        let actions = core.handle(event, now: now, rng: &peers[i].rng)
        peers[i].provider = core
        for action in actions {
            switch action {
            case let .send(peer, bytes):
                if let j = indexByKey[peer] { transmit(bytes, from: i, to: j, completes: true) }
            case let .disconnect(peer, _):
                if let j = indexByKey[peer] { close(i, j) }
            }
        }
    }

    func failureName(_ f: TransferFailure) -> String {
        switch f {
        case .noProviders: "no-providers"
        case .allProvidersFailed: "all-providers-failed"
        case .corruptContentFromEveryProvider: "corrupt-from-every-provider"
        case .invalidRequest: "invalid-request"
        case .cancelled: "cancelled"
        }
    }
}

/// Whether two byte arrays are equal, compared a word at a time (`==` on arrays goes byte by byte,
/// and every stored chunk — gigabytes in a large run — is compared with the genuine one).
func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBytes { x in
        b.withUnsafeBytes { y in
            if x.baseAddress == y.baseAddress { return true }
            var k = 0
            while k + 8 <= x.count {
                if x.loadUnaligned(fromByteOffset: k, as: UInt64.self) != y.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
                k += 8
            }
            while k < x.count {
                if x[k] != y[k] { return false }
                k += 1
            }
            return true
        }
    }
}
