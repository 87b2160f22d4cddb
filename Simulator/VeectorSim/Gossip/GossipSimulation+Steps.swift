import VeectorGossip
import VeectorWire

extension GossipSimulation {
    /// Carries out one scenario step (DHT-only steps do nothing here).
    func perform(_ step: ScenarioStep) {
        switch step {
        case let .join(selection, _, over):
            let waiting = peers.indices.filter { !peers[$0].isRunning && !peers[$0].crashed && !peers[$0].left }
            let chosen = rng.pick(selection.resolve(total: waiting.count), from: waiting).sorted()
            for (n, i) in chosen.enumerated() {
                let offset = chosen.count > 1 ? over.nanosecondCount * Int64(n) / Int64(chosen.count) : 0
                queue.schedule(.start(peer: i), at: now.advanced(by: .nanoseconds(offset)))
            }
        case let .gossip(count):
            let authors = peers.indices.filter { peers[$0].isRunning && peers[$0].isHonest }
            guard !authors.isEmpty else { return }
            for n in 0..<count {
                let author = authors[Int(rng.next() % UInt64(authors.count))]
                let offset = Int64(n) * 10_000_000_000 / Int64(max(count, 1))
                serial += 1
                queue.schedule(.publish(peer: author, serial: serial), at: now.advanced(by: .nanoseconds(offset)))
            }
        case let .partition(fraction):
            for key in network.partition(fraction, choosingWith: &rng) { close(key.a, key.b) }
        case .heal:
            network.heal()
        case let .crash(selection):
            let running = peers.indices.filter { peers[$0].isRunning }
            for i in rng.pick(selection.resolve(total: running.count), from: running).sorted() {
                stop(i)
                peers[i].crashed = true
            }
        case .restart:
            for i in peers.indices where peers[i].crashed { start(i) }
        case let .leave(selection):
            let running = peers.indices.filter { peers[$0].isRunning }
            for i in rng.pick(selection.resolve(total: running.count), from: running).sorted() {
                stop(i)
                peers[i].left = true
            }
        case let .gossipAdversary(kind, selection, rate):
            let honest = peers.indices.filter { peers[$0].isHonest }
            for i in rng.pick(selection.resolve(total: honest.count), from: honest).sorted() {
                peers[i].adversary = kind
                peers[i].rate = max(1, rate)
                if peers[i].isRunning {
                    queue.schedule(.attack(peer: i, incarnation: peers[i].incarnation), at: now)
                }
            }
        case .publish, .announce, .lookup, .adversary:
            break   // DHT steps: run by DHTSimulation
        case .share, .fetch, .crashProviders, .crashFetchers, .transferAdversary:
            break   // run by TransferSimulation
        }
    }

    /// Starts peer `i`'s core (fresh state: gossip keeps nothing on disk), subscribed to the topic
    /// and given a few random running peers as candidates.
    func start(_ i: Int) {
        guard !peers[i].left, !peers[i].isRunning else { return }
        peers[i].crashed = false
        peers[i].incarnation += 1
        peers[i].startedAt = now
        peers[i].node = GossipNode(keys: peers[i].keys, configuration: configuration,
                                   unixMillisAtZero: Self.unixMillisAtZero, wireChecks: wireChecks)
        peers[i].isRunning = true
        trace.add(now.nanoseconds); trace.add(0x57A7); trace.add(UInt64(i))
        feed(i, .command(.subscribe(Self.topic)))
        feed(i, .command(.addCandidates(randomRunning(configuration.targetPeers * 2, excluding: i))))
        if peers[i].adversary != nil {
            queue.schedule(.attack(peer: i, incarnation: peers[i].incarnation), at: now.advanced(by: .seconds(5)))
        }
    }

    /// Stops peer `i` (crash or leave): its links go down, its core is gone.
    func stop(_ i: Int) {
        guard peers[i].isRunning else { return }
        closeAll(i)
        peers[i].node = nil
        peers[i].isRunning = false
        trace.add(now.nanoseconds); trace.add(0x5709); trace.add(UInt64(i))
    }
}
