import VeectorWire

extension DHTNode {
    /// A datagram arrived: rate-limit, decode, then answer a query or resolve a reply.
    mutating func receive(_ bytes: [UInt8], from: PeerAddress, now: Instant, rng: inout some RandomNumberGenerator,
                          into out: inout [DHTAction]) {
        counters.datagramsIn += 1
        counters.bytesIn += bytes.count
        guard limiter.allow(from.ip, now: now) else {
            counters.droppedRateLimited += 1
            return
        }
        let value: BencodeValue
        do { value = try BencodeDecoder().decode(bytes) } catch {
            counters.droppedMalformed += 1   // no readable `t`: nothing can be answered (BEP 5)
            return
        }
        let message: KRPCMessage
        do { message = try KRPCMessage(value) } catch {
            counters.droppedMalformed += 1
            // Only a malformed *query* gets an error reply; never answer replies or errors.
            if value["y"]?.bytesValue == [UInt8(ascii: "q")], !configuration.readOnly, let reply = error.errorReply {
                self.reply(reply.body, transactionID: reply.transactionID, to: from, into: &out)
            }
            return
        }
        switch message.body {
        case let .query(query):
            answer(query, message: message, from: from, now: now, rng: &rng, into: &out)
        case .response, .error:
            resolve(message, from: from, now: now, rng: &rng, into: &out)
        }
    }

    /// The query timer `transactionID` fired: the query failed unless already answered.
    mutating func queryTimedOut(_ transactionID: [UInt8], now: Instant, rng: inout some RandomNumberGenerator,
                                into out: inout [DHTAction]) {
        guard let query = pending[transactionID], now >= query.deadline else { return }
        pending[transactionID] = nil
        counters.timeouts += 1
        if let id = query.expectedID { routingTable.recordFailure(of: id, now: now) }
        settle(query, reply: nil, from: query.to, now: now, rng: &rng, into: &out)
    }

    /// A reply or error arrived: match it to our query, learn the responder, pass it on.
    private mutating func resolve(_ message: KRPCMessage, from: PeerAddress, now: Instant,
                                  rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        guard let query = pending[message.transactionID], query.to == from else {
            counters.droppedUnsolicited += 1
            return
        }
        pending[message.transactionID] = nil
        if let said = message.externalAddress { addressVotes.record(said, from: from.ip) }
        switch message.body {
        case let .response(r):
            counters.responsesIn += 1
            if let expected = query.expectedID, expected != r.id {
                routingTable.recordFailure(of: expected, now: now)   // someone else answers there now
            } else if !message.readOnly {
                learn(NodeContact(id: r.id, address: from), now: now, rng: &rng, into: &out)
            }
        case .error:
            counters.errorsIn += 1
        case .query:
            return
        }
        settle(query, reply: message, from: from, now: now, rng: &rng, into: &out)
    }

    /// Hands a reply (nil on timeout) to whatever the query was for.
    private mutating func settle(_ query: PendingQuery, reply: KRPCMessage?, from: PeerAddress, now: Instant,
                                 rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        switch query.purpose {
        case .liveness:
            livenessPings -= 1
            if let reply, case .error = reply.body, let id = query.expectedID { routingTable.recordFailure(of: id, now: now) }
        case let .lookup(operation, lookupTID):
            var message = reply
            message?.transactionID = lookupTID
            let event: LookupEvent = message.map { .response(from: from, message: $0) } ?? .timeout(transactionID: lookupTID)
            stepLookup(operation, event, now: now, rng: &rng, into: &out)
        case let .probe(operation):
            probeSettled(operation, reply: reply, now: now, rng: &rng, into: &out)
        case let .ping(operation):
            pingSettled(operation, reply: reply, from: from, into: &out)
        case let .store(operation):
            storeSettled(operation, reply: reply, into: &out)
        }
    }
}
