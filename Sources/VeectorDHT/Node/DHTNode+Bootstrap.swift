import VeectorWire

extension DHTNode {
    /// Probes the bootstrap addresses with `find_node` for our own ID (their IDs are unknown).
    mutating func bootstrap(_ addresses: [PeerAddress], command: DHTCommandID, now: Instant,
                            rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        var list: [PeerAddress] = []
        for a in addresses.isEmpty ? configuration.bootstrapNodes : addresses
        where !list.contains(a) && list.count < configuration.maxBootstrapAddresses {
            list.append(a)
        }
        guard !list.isEmpty else { return out.append(.complete(command, .failed(.noBootstrapAddresses))) }
        let n = add(DHTOperation(command: command, kind: .bootstrap(contacted: list.count, answered: 0),
                                 phase: .probing(outstanding: list.count, learned: [])))
        for address in list {
            sendQuery(.findNode(id: ownID, target: ownID), to: address, expecting: nil, purpose: .probe(operation: n),
                      timeout: configuration.queryTimeout, now: now, rng: &rng, into: &out)
        }
    }

    /// A bootstrap probe's reply (nil: timed out). When the last one is in, the self-lookup starts.
    mutating func probeSettled(_ n: Int, reply: KRPCMessage?, now: Instant, rng: inout some RandomNumberGenerator,
                               into out: inout [DHTAction]) {
        guard var op = operations[n], case let .bootstrap(contacted, answered) = op.kind,
              case .probing(let outstanding, var learned) = op.phase else { return }
        var heard = answered
        if case let .response(r)? = reply?.body {
            heard += 1
            let room = max(0, configuration.lookup.maxCandidates - learned.count)
            learned += (r.nodes ?? []).prefix(room)
        }
        op.kind = .bootstrap(contacted: contacted, answered: heard)
        op.phase = .probing(outstanding: outstanding - 1, learned: learned)
        operations[n] = op
        guard outstanding - 1 == 0 else { return }
        guard heard > 0 else { return finish(n, .failed(.bootstrapUnreachable(contacted: contacted)), into: &out) }
        operations[n] = nil
        startLookup(op.kind, .findNode, target: ownID, extraSeeds: learned, command: op.command, now: now, rng: &rng, into: &out)
    }
}
