import VeectorWire

extension DHTNode {
    /// Answers one valid query per BEP 5 / BEP 44 and learns its sender.
    mutating func answer(_ query: KRPCQuery, message: KRPCMessage, from: PeerAddress, now: Instant,
                         rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        guard !configuration.readOnly else {
            counters.droppedReadOnly += 1
            return
        }
        counters.queriesIn.count(query.method)
        if !message.readOnly { learn(NodeContact(id: query.senderID, address: from), now: now, rng: &rng, into: &out) }
        let t = message.transactionID
        switch query {
        case .ping:
            reply(.response(KRPCResponse(id: ownID)), transactionID: t, to: from, into: &out)
        case let .findNode(_, target):
            reply(.response(KRPCResponse(id: ownID, nodes: closestNodes(to: target, now: now))), transactionID: t, to: from, into: &out)
        case let .getPeers(_, infoHash):
            let peers = peerStore.peers(for: infoHash, now: now, rng: &rng)
            let token = tokens.token(for: from.ip, target: infoHash, now: now, rng: &rng)
            // Nodes are sent along with values (as libtorrent does) so lookups still converge.
            let r = KRPCResponse(id: ownID, nodes: closestNodes(to: infoHash, now: now), values: peers.isEmpty ? nil : peers, token: token)
            reply(.response(r), transactionID: t, to: from, into: &out)
        case let .announcePeer(a):
            guard tokens.isValid(a.token, for: from.ip, target: a.infoHash, now: now, rng: &rng) else {
                return refuse(KRPCErrorMessage.protocolCode, "Protocol Error: bad token", transactionID: t, to: from, into: &out)
            }
            let port = a.impliedPort ? from.port : a.port
            guard port != 0 else {
                return refuse(KRPCErrorMessage.protocolCode, "Protocol Error: bad a.port", transactionID: t, to: from, into: &out)
            }
            peerStore.announce(PeerAddress(ip: from.ip, port: port), for: a.infoHash, now: now)
            reply(.response(KRPCResponse(id: ownID)), transactionID: t, to: from, into: &out)
        case let .get(a):
            var r = KRPCResponse(id: ownID, nodes: closestNodes(to: a.target, now: now),
                                 token: tokens.token(for: from.ip, target: a.target, now: now, rng: &rng))
            if let stored = itemStore.item(for: a.target, now: now) {
                switch stored.item {
                case let .immutable(v):
                    r.value = v
                case let .mutable(m):
                    r.seq = m.seq
                    if a.seq.map({ m.seq > $0 }) ?? true {   // BEP 44: only a newer item is sent whole
                        r.value = m.value
                        r.publicKey = m.publicKey
                        r.signature = m.signature
                    }
                }
            }
            reply(.response(r), transactionID: t, to: from, into: &out)
        case let .put(a):
            guard tokens.isValid(a.token, for: from.ip, target: a.item.target, now: now, rng: &rng) else {
                return refuse(KRPCErrorMessage.protocolCode, "Protocol Error: bad token", transactionID: t, to: from, into: &out)
            }
            do {
                try itemStore.put(a.item, cas: a.cas, now: now)
            } catch {
                return reply(.error(error.krpcError), transactionID: t, to: from, into: &out)
            }
            reply(.response(KRPCResponse(id: ownID)), transactionID: t, to: from, into: &out)
        }
    }

    private mutating func refuse(_ code: Int64, _ text: String, transactionID: [UInt8], to: PeerAddress, into out: inout [DHTAction]) {
        reply(.error(KRPCErrorMessage(code: code, text)), transactionID: transactionID, to: to, into: &out)
    }
}
