import VeectorWire

extension DHTNode {
    /// Starts a command (or completes it at once when it cannot start).
    mutating func run(_ command: DHTCommand, id: DHTCommandID, now: Instant, rng: inout some RandomNumberGenerator,
                      into out: inout [DHTAction]) {
        if case let .unpublish(target) = command {
            let before = owned.count
            owned.removeAll { $0.record.target == target }
            return out.append(.complete(id, .unpublished(wasPublished: owned.count != before)))
        }
        guard operations.count < configuration.maxOperations else {
            return out.append(.complete(id, .failed(.tooManyOperations(limit: configuration.maxOperations))))
        }
        switch command {
        case let .bootstrap(addresses):
            bootstrap(addresses, command: id, now: now, rng: &rng, into: &out)
        case let .ping(address):
            let n = add(DHTOperation(command: id, kind: .ping(address), phase: .waiting))
            sendQuery(.ping(id: ownID), to: address, expecting: nil, purpose: .ping(operation: n),
                      timeout: configuration.queryTimeout, now: now, rng: &rng, into: &out)
        case let .findNode(target):
            startLookup(.findNode, .findNode, target: target, command: id, now: now, rng: &rng, into: &out)
        case let .getPeers(infoHash):
            startLookup(.getPeers, .getPeers, target: infoHash, command: id, now: now, rng: &rng, into: &out)
        case let .getItem(target, salt, seq):
            startLookup(.getItem(target: target, salt: salt), .get(seq: seq), target: target, command: id, now: now, rng: &rng, into: &out)
        case let .announce(infoHash, port):
            startStore(.announce(infoHash: infoHash, port: port), command: id, now: now, rng: &rng, into: &out)
        case let .putImmutable(value):
            startStore(.immutable(value), command: id, now: now, rng: &rng, into: &out)
        case let .putMutable(item, cas):
            startStore(.mutable(item), cas: cas, command: id, now: now, rng: &rng, into: &out)
        case let .publish(record):
            if let error = Self.invalidity(of: record) { return out.append(.complete(id, .failed(.invalidItem(error)))) }
            if let i = owned.firstIndex(where: { $0.record.target == record.target }) {
                owned[i] = OwnedRecord(record: record, lastPublished: now)
            } else {
                guard owned.count < configuration.maxOwnedRecords else {
                    return out.append(.complete(id, .failed(.tooManyOwnedRecords(limit: configuration.maxOwnedRecords))))
                }
                owned.append(OwnedRecord(record: record, lastPublished: now))
            }
            startStore(record, command: id, now: now, rng: &rng, into: &out)
        case .unpublish:
            break
        }
    }

    /// Registers an operation and returns its number.
    mutating func add(_ operation: DHTOperation) -> Int {
        let n = nextOperation
        nextOperation += 1
        operations[n] = operation
        return n
    }

    /// Ends operation `n`, reporting `result` if a command is waiting for it.
    mutating func finish(_ n: Int, _ result: DHTResult, into out: inout [DHTAction]) {
        guard let op = operations.removeValue(forKey: n) else { return }
        if let command = op.command { out.append(.complete(command, result)) }
    }

    /// BEP 44's own checks on an item we are about to send (so a bad item fails here, not remotely).
    static func invalidity(of record: DHTRecord) -> ItemStoreError? {
        let item: DHTItem
        switch record {
        case .announce: return nil
        case let .immutable(v): item = .immutable(v)
        case let .mutable(m): item = .mutable(m)
        }
        guard let rejection = BEP44.rejection(of: item) else { return nil }
        switch rejection.code {
        case KRPCErrorMessage.valueTooBigCode: return .valueTooBig
        case KRPCErrorMessage.saltTooBigCode: return .saltTooBig
        default: return .invalidSignature
        }
    }

    /// Starts the lookup that precedes a write of `record` (get_peers for announces, get for items).
    mutating func startStore(_ record: DHTRecord, cas: Int64? = nil, command: DHTCommandID?, now: Instant,
                             rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        if let error = Self.invalidity(of: record) {
            if let command { out.append(.complete(command, .failed(.invalidItem(error)))) }
            return
        }
        switch record {
        case let .announce(infoHash, port):
            startLookup(.announce(infoHash: infoHash, port: port), .getPeers, target: infoHash, command: command, now: now, rng: &rng, into: &out)
        case let .immutable(v):
            startLookup(.put(.immutable(v), cas: nil), .get(seq: nil), target: record.target, command: command, now: now, rng: &rng, into: &out)
        case let .mutable(m):
            startLookup(.put(.mutable(m), cas: cas), .get(seq: nil), target: record.target, command: command, now: now, rng: &rng, into: &out)
        }
    }

    /// A ping command's reply (nil: timed out).
    mutating func pingSettled(_ n: Int, reply: KRPCMessage?, from: PeerAddress, into out: inout [DHTAction]) {
        switch reply?.body {
        case let .response(r)?: finish(n, .pong(NodeContact(id: r.id, address: from)), into: &out)
        case let .error(e)?: finish(n, .failed(.remoteError(from, e)), into: &out)
        default: finish(n, .failed(.timedOut(from)), into: &out)
        }
    }
}
