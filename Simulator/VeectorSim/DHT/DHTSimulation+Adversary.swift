import VeectorCrypto
import VeectorDHT
import VeectorWire

/// Attackers. They use the same wire format as everyone else but lie, forge, replay, flood, stall
/// or crowd a key. Transaction IDs of their own queries start with 0xAD so their replies are theirs.
extension DHTSimulation {
    /// Turns honest running peers (never peer 0, the bootstrap node) into attackers of `kind`.
    func turnAdversarial(_ kind: AdversaryKind, selection: PeerSelection, rate: Int) {
        let candidates = honestRunning().filter { $0 != 0 }
        let chosen = pick(selection.resolve(total: candidates.count), from: candidates)
        for i in chosen {
            peers[i].adversary = kind
            metrics.adversaries[kind.rawValue, default: 0] += 1
            if kind == .eclipse {
                // Come back with an ID right next to the first record's target (or a fixed key).
                let key = records.first?.target ?? NodeID([UInt8](repeating: 0x42, count: 20))!
                var bytes = key.bytes
                bytes[19] ^= UInt8(truncatingIfNeeded: i)
                bytes[18] ^= UInt8(truncatingIfNeeded: i >> 8)
                peers[i].node = nil
                peers[i].id = NodeID(bytes)!
                peers[i].incarnation += 1
                start(i, via: 0)
                metrics.eclipsedKeys.insert(key)
            }
            if [.forge, .replay, .flood].contains(kind), rate > 0 {
                queue.schedule(.adversaryTick(peer: i), at: now.advanced(by: .nanoseconds(1_000_000_000 / Int64(rate))))
            }
            peers[i].rateInterval = .nanoseconds(1_000_000_000 / Int64(max(rate, 1)))
        }
    }

    /// An attacker's handling of an incoming datagram; true when the core must not see it.
    func adversaryIntercepts(_ kind: AdversaryKind, bytes: [UInt8], to: Int, from: Int) -> Bool {
        guard let message = try? KRPCMessage(decoding: bytes) else { return kind == .drop }
        if case let .response(r) = message.body, message.transactionID.first == 0xAD {
            if let token = r.token { peers[to].tokens[peers[from].address] = token }
            if let v = r.value, let k = r.publicKey, let sig = r.signature, let seq = r.seq {
                let salt = records.first { $0.keyPair.publicKey == k }?.salt ?? []
                let item = MutableItem(publicKey: k, salt: salt, seq: seq, value: v, signature: sig)
                if peers[to].captured.count < 64, !peers[to].captured.contains(item) { peers[to].captured.append(item) }
            }
            return true
        }
        switch kind {
        case .drop:
            return true
        case .lie, .eclipse:
            guard case let .query(q) = message.body else { return true }
            let me = peers[to].id
            var reply = KRPCResponse(id: me)
            switch q {
            case .ping:
                return false
            case let .findNode(_, target), let .getPeers(_, target):
                reply.nodes = fakeContacts(near: target, count: 8)
                reply.token = [0xAD, 0x01]
            case let .get(args):
                reply.nodes = fakeContacts(near: args.target, count: 8)
                reply.token = [0xAD, 0x02]
                if let record = records.first(where: { $0.target == args.target }), kind == .lie {
                    // A forged newer version: right key and salt, wrong signature.
                    reply.value = .bytes(Array("forged by \(peers[to].address)".utf8))
                    reply.publicKey = record.keyPair.publicKey
                    reply.seq = record.seq + 1000
                    reply.signature = [UInt8](repeating: 0xEE, count: 64)
                }
            case .announcePeer, .put:
                break
            }
            send(KRPCMessage(transactionID: message.transactionID, body: .response(reply)).encoded(), from: to, to: peers[from].address)
            return true
        default:
            return false
        }
    }

    /// Contacts that look close to `target` but point at attackers or at nobody.
    private func fakeContacts(near target: NodeID, count: Int) -> [NodeContact] {
        let attackers = peers.indices.filter { !peers[$0].isHonest }
        return (0..<count).map { n in
            var bytes = target.bytes
            bytes[19] = UInt8(truncatingIfNeeded: rng.next())
            bytes[18] = UInt8(truncatingIfNeeded: rng.next())
            let address = attackers.isEmpty || n % 2 == 1
                ? PeerAddress(ip: IPv4Address(10, 255, UInt8(truncatingIfNeeded: rng.next()), UInt8(truncatingIfNeeded: rng.next())), port: 6881)
                : peers[attackers[Int(rng.next() % UInt64(attackers.count))]].address
            return NodeContact(id: NodeID(bytes)!, address: address)
        }
    }

    /// One action of an active attacker (forge, replay, flood), then the next tick is scheduled.
    func adversaryTick(_ i: Int) {
        guard peers[i].isRunning, let kind = peers[i].adversary else { return }
        defer { queue.schedule(.adversaryTick(peer: i), at: now.advanced(by: peers[i].rateInterval)) }
        let honest = honestRunning()
        guard !honest.isEmpty else { return }
        let victim = kind == .flood ? 0 : honest[Int(rng.next() % UInt64(honest.count))]
        let victimAddress = peers[victim].address
        let tid: [UInt8] = [0xAD, UInt8(truncatingIfNeeded: rng.next()), UInt8(truncatingIfNeeded: rng.next())]
        switch kind {
        case .flood:
            let q = KRPCQuery.findNode(id: peers[i].id, target: NodeID.random(using: &rng))
            send(KRPCMessage(transactionID: tid, body: .query(q)).encoded(), from: i, to: victimAddress)
        case .forge, .replay:
            guard !records.isEmpty else { return }
            let record = records[Int(rng.next() % UInt64(records.count))]
            guard let token = peers[i].tokens[victimAddress] else {
                // First learn a write token (and the current version) from the victim, honestly.
                let q = KRPCQuery.get(GetArguments(id: peers[i].id, target: record.target))
                send(KRPCMessage(transactionID: tid, body: .query(q)).encoded(), from: i, to: victimAddress)
                return
            }
            let item: MutableItem
            if kind == .forge {
                item = MutableItem(publicKey: record.keyPair.publicKey, salt: record.salt, seq: record.seq + 1,
                                   value: .bytes(Array("forged by \(peers[i].address)".utf8)),
                                   signature: [UInt8](repeating: 0xEE, count: 64))
            } else {
                guard let old = peers[i].captured.filter({ $0.publicKey == record.keyPair.publicKey }).min(by: { $0.seq < $1.seq }) else {
                    let q = KRPCQuery.get(GetArguments(id: peers[i].id, target: record.target))
                    send(KRPCMessage(transactionID: tid, body: .query(q)).encoded(), from: i, to: victimAddress)
                    return
                }
                item = old
            }
            let q = KRPCQuery.put(PutArguments(id: peers[i].id, token: token, item: .mutable(item)))
            send(KRPCMessage(transactionID: tid, body: .query(q)).encoded(), from: i, to: victimAddress)
        default:
            break
        }
    }
}
