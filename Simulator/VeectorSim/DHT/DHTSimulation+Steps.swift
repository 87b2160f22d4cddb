import VeectorCrypto
import VeectorDHT
import VeectorWire

extension DHTSimulation {
    /// Carries out one scenario step.
    func perform(_ step: ScenarioStep) {
        switch step {
        case let .join(selection, via, over):
            let waiting = peers.indices.filter { peers[$0].node == nil && !peers[$0].crashed && !peers[$0].left }
            let chosen = pick(selection.resolve(total: waiting.count), from: waiting, keepOrder: true)
            for (n, i) in chosen.enumerated() {
                let offset = chosen.count > 1 ? over.nanosecondCount * Int64(n) / Int64(chosen.count) : 0
                queue.schedule(.join(peer: i, via: via), at: now.advanced(by: .nanoseconds(offset)))
            }
        case let .publish(count):
            // Owners of earlier records sign a new version (seq + 1): records change over time,
            // which is what replaying attackers try to roll back.
            for r in records.indices where peers[records[r].owner].isRunning {
                records[r].seq += 1
                let value = BencodeValue.bytes(Array("endpoint \(peers[records[r].owner].address) v\(records[r].seq)".utf8))
                records[r].versions[records[r].seq] = value
                let item = MutableItem.signed(value: value, seq: records[r].seq, salt: records[r].salt, keyPair: records[r].keyPair)
                command(records[r].owner, .publish(.mutable(item)), .publish(r))
            }
            for owner in pick(count, from: honestRunning()) {
                var seed = [UInt8](repeating: 0, count: 32)
                for k in 0..<32 { seed[k] = UInt8(truncatingIfNeeded: rng.next()) }
                guard let keyPair = try? SigningKeyPair(seed: seed) else { continue }
                let salt = Array("endpoint".utf8)
                let value = BencodeValue.bytes(Array("endpoint \(peers[owner].address) v1".utf8))
                let item = MutableItem.signed(value: value, seq: 1, salt: salt, keyPair: keyPair)
                records.append(PublishedRecord(owner: owner, keyPair: keyPair, salt: salt, target: item.target,
                                               versions: [1: value], seq: 1, publishedAt: now))
                command(owner, .publish(.mutable(item)), .publish(records.count - 1))
            }
        case let .announce(count):
            for owner in pick(count, from: honestRunning()) {
                let infoHash = NodeID.random(using: &rng)
                announcements.append(Announcement(owner: owner, infoHash: infoHash, announcedAt: now))
                command(owner, .publish(.announce(infoHash: infoHash, port: .implied)), .announce(announcements.count - 1))
            }
        case let .lookup(count):
            let askers = honestRunning()
            guard !askers.isEmpty, !(records.isEmpty && announcements.isEmpty) else { return }
            for n in 0..<count {
                let asker = askers[Int(rng.next() % UInt64(askers.count))]
                let purpose: Purpose
                if announcements.isEmpty || (!records.isEmpty && n % 2 == 0) {
                    purpose = .findItem(Int(rng.next() % UInt64(records.count)))
                } else {
                    purpose = .findPeers(Int(rng.next() % UInt64(announcements.count)))
                }
                // Spread over 30 s so a batch is not one burst.
                let offset = Int64(rng.next() % 30_000_000_000)
                queue.schedule(.lookup(peer: asker, purpose), at: now.advanced(by: .nanoseconds(offset)))
            }
        case let .partition(fraction):
            for i in peers.indices { network.group[i] = 0 }
            for i in pick(Int((Double(peers.count) * fraction).rounded()), from: Array(peers.indices)) { network.group[i] = 1 }
            network.partitioned = true
            metrics.disruptions.append(now)
        case .heal:
            network.partitioned = false
            metrics.disruptions.append(now)
        case let .crash(selection):
            let running = peers.indices.filter { peers[$0].isRunning }
            for i in pick(selection.resolve(total: running.count), from: running) {
                peers[i].storedSnapshot = peers[i].node?.snapshot()
                peers[i].node = nil
                peers[i].crashed = true
                network.isUp[i] = false
                metrics.crashes += 1
            }
            metrics.disruptions.append(now)
        case .restart:
            for i in peers.indices where peers[i].crashed {
                peers[i].crashed = false
                peers[i].incarnation += 1
                start(i, via: 0, snapshot: peers[i].storedSnapshot)
                metrics.restarts += 1
            }
        case let .leave(selection):
            let running = peers.indices.filter { peers[$0].isRunning }
            for i in pick(selection.resolve(total: running.count), from: running) {
                peers[i].node = nil
                peers[i].left = true
                network.isUp[i] = false
            }
            metrics.disruptions.append(now)
        case let .adversary(kind, selection, rate):
            turnAdversarial(kind, selection: selection, rate: rate)
        case .gossip, .gossipAdversary:
            break   // run by GossipSimulation
        case .share, .fetch, .crashProviders, .crashFetchers, .transferAdversary:
            break   // run by TransferSimulation
        }
    }

    /// Starts a peer's core (fresh, or from its stored snapshot) and bootstraps it through `via`.
    func start(_ i: Int, via: Int, snapshot: [UInt8]? = nil) {
        guard !peers[i].left else { return }
        if peers[i].isRunning {
            // Already running: this is a bootstrap retry.
            if via != i { command(i, .bootstrap([peers[via].address]), .bootstrap) }
            return
        }
        let node: DHTNode
        if let snapshot, let restored = try? DHTNode(ownID: peers[i].id, configuration: configuration, snapshot: snapshot,
                                                     now: now, rng: &peers[i].rng) {
            node = restored
        } else {
            node = DHTNode(ownID: peers[i].id, configuration: configuration, now: now, rng: &peers[i].rng)
        }
        peers[i].node = node
        network.isUp[i] = true
        metrics.joined += 1
        if via != i, via < peers.count {
            command(i, .bootstrap([peers[via].address]), .bootstrap)
        } else {
            feed(i, .timer(.maintenance))
        }
    }

    /// Honest peers that are running, in index order.
    func honestRunning() -> [Int] {
        peers.indices.filter { peers[$0].isRunning && peers[$0].isHonest }
    }

    /// `count` distinct elements of `from`, chosen with the run's random stream.
    func pick(_ count: Int, from candidates: [Int], keepOrder: Bool = false) -> [Int] {
        let chosen = rng.pick(count, from: candidates)
        return keepOrder ? chosen.sorted() : chosen
    }
}
