import ContentID
import VeectorTransfer
import VeectorWire

extension TransferSimulation {
    /// Carries out one scenario step (DHT- and gossip-only steps do nothing here).
    func perform(_ step: ScenarioStep) {
        switch step {
        case let .join(selection, _, over):
            let waiting = peers.indices.filter { !peers[$0].isRunning && !peers[$0].crashed && !peers[$0].left }
            let chosen = rng.pick(selection.resolve(total: waiting.count), from: waiting).sorted()
            for (n, i) in chosen.enumerated() {
                let offset = chosen.count > 1 ? over.nanosecondCount * Int64(n) / Int64(chosen.count) : 0
                queue.schedule(.start(peer: i), at: now.advanced(by: .nanoseconds(offset)))
            }
        case let .share(peer, size, name):
            share(size: size, name: name, at: peer)
        case let .fetch(who, name, over):
            guard let cid = names[name] ?? (try? CID(name)), contents[cid] != nil else {
                violate("fetch of '\(name)': no content of that name or CID was shared before")
                return
            }
            var chosen: [Int]
            switch who {
            case let .peer(i): chosen = i < peers.count ? [i] : []
            case let .some(selection):
                let lacking = peers.indices.filter {
                    peers[$0].isRunning && peers[$0].isHonest && !peers[$0].store.complete.contains(cid) && peers[$0].wanted[cid] == nil
                }
                chosen = rng.pick(selection.resolve(total: lacking.count), from: lacking).sorted()
            }
            for (n, i) in chosen.enumerated() {
                let offset = chosen.count > 1 ? over.nanosecondCount * Int64(n) / Int64(chosen.count) : 0
                queue.schedule(.fetchStart(peer: i, cid), at: now.advanced(by: .nanoseconds(offset)))
            }
        case let .partition(fraction):
            for key in network.partition(fraction, choosingWith: &rng) { close(key.a, key.b) }
        case .heal:
            network.heal()
        case let .crash(selection):
            let running = peers.indices.filter { peers[$0].isRunning }
            for i in rng.pick(selection.resolve(total: running.count), from: running).sorted() { stop(i, crashed: true) }
        case let .crashProviders(selection):
            let serving = peers.indices.filter { peers[$0].isRunning && peers[$0].isHonest && (peers[$0].provider?.activePeerCount ?? 0) > 0 }
            for i in rng.pick(selection.resolve(total: serving.count), from: serving).sorted() {
                providerCrashes += 1
                stop(i, crashed: true)
            }
        case let .crashFetchers(selection):
            let midway = peers.indices.filter { i in
                peers[i].isRunning && peers[i].isHonest && peers[i].fetches.keys.contains { cid in
                    let held = peers[i].store.chunks[cid]?.count ?? 0
                    return held > 0 && held < (contents[cid]?.chunks.count ?? 0)
                }
            }
            for i in rng.pick(selection.resolve(total: midway.count), from: midway).sorted() {
                fetcherCrashes += 1
                stop(i, crashed: true)
            }
        case .restart:
            for i in peers.indices where peers[i].crashed { start(i) }
        case let .leave(selection):
            let running = peers.indices.filter { peers[$0].isRunning }
            for i in rng.pick(selection.resolve(total: running.count), from: running).sorted() { stop(i, crashed: false) }
        case let .transferAdversary(selection):
            let publishers = Set(contents.values.map(\.publisher))
            let honest = peers.indices.filter { peers[$0].isHonest && !publishers.contains($0) }
            for i in rng.pick(selection.resolve(total: honest.count), from: honest).sorted() {
                peers[i].adversary = true
                peers[i].store.garbage = rng.derived(UInt64(i) &+ 0xBAD)
                for cid in contents.keys.sorted() {
                    peers[i].store.manifests[cid] = contents[cid]!.manifest
                    holders[cid, default: []].append(i)
                }
                peers[i].fetches = [:]
                peers[i].wanted = [:]
            }
        case .publish, .announce, .lookup, .adversary, .gossip, .gossipAdversary:
            break   // run by DHTSimulation and GossipSimulation
        }
    }

    /// Peer `p` makes `size` bytes of synthetic content (from the run's seed), splits it into
    /// `chunkSize` chunks with their real CIDs, stores it whole and announces it.
    func share(size: Int, name: String, at p: Int) {
        guard p < peers.count, names[name] == nil else {
            violate("share '\(name)' at peer \(p): no such peer, or the name is taken")
            return
        }
        let bytes = SimContentStore.randomBytes(size, from: &contentRandom)
        let (m, chunks) = try! TransferManifest.splitting(bytes, chunkSize: Self.chunkSize)   // sizes within limits
        contents[m.content] = SharedContent(name: name, manifest: m, chunks: chunks, publisher: p, time: now)
        names[name] = m.content
        let store = peers[p].store
        store.manifests[m.content] = m
        store.chunks[m.content] = Dictionary(uniqueKeysWithValues: chunks.enumerated().map { ($0.offset, $0.element) })
        store.complete.insert(m.content)
        holders[m.content] = [p] + peers.indices.filter { peers[$0].adversary }
        for i in peers.indices where peers[i].adversary { peers[i].store.manifests[m.content] = m }
        trace.add(now.nanoseconds); trace.add(0x5A4E); trace.add(m.content.bytes)
    }

    /// Starts (or restarts) peer `i`: a fresh provider over its kept store, and its unfinished
    /// fetches resumed from the chunks the store holds.
    func start(_ i: Int) {
        guard !peers[i].left, !peers[i].isRunning else { return }
        peers[i].crashed = false
        peers[i].incarnation += 1
        peers[i].provider = ProviderCore(source: peers[i].store, configuration: provideConfiguration)
        trace.add(now.nanoseconds); trace.add(0x57A7); trace.add(UInt64(i))
        for cid in peers[i].wanted.keys.sorted() { beginFetch(i, cid) }
    }

    /// Stops peer `i` (crash or leave): its sessions close, its cores are gone, its store stays.
    func stop(_ i: Int, crashed: Bool) {
        guard peers[i].isRunning else { return }
        for j in network.linksOf[i].sorted() { close(i, j) }
        for cid in peers[i].fetches.keys.sorted() { totals.add(peers[i].fetches[cid]!.stats) }
        peers[i].fetches = [:]
        peers[i].provider = nil
        if crashed { peers[i].crashed = true } else { peers[i].left = true }
        trace.add(now.nanoseconds); trace.add(0x5709); trace.add(UInt64(i))
    }
}
