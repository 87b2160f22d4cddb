import VeectorGossip
import VeectorWire

extension GossipSimulation {
    /// One bad frame from attacker `i` to one of its linked peers (chosen at random).
    func attack(_ i: Int) {
        let targets = network.linksOf[i].sorted()
        guard !targets.isEmpty, let kind = peers[i].adversary else { return }
        let target = targets[Int(rng.next() % UInt64(targets.count))]
        let bytes: [UInt8]
        switch kind {
        case .garbage: bytes = garbage()
        case .forge: bytes = forged(by: i) ?? garbage()
        case .replay: bytes = alteredReplay(by: i) ?? forged(by: i) ?? garbage()
        }
        attackFrames += 1
        attackBytes += bytes.count
        trace.add(now.nanoseconds); trace.add(0xBAD0); trace.add(UInt64(i)); trace.add(UInt64(target))
        transmit(bytes, from: i, to: target, id: nil)
    }

    /// 1–256 random bytes; a third of them start like a bencoded dictionary to get past the first byte.
    func garbage() -> [UInt8] {
        let count = 1 + Int(rng.next() % 256)
        var b = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        if rng.next() % 3 == 0 { b[0] = UInt8(ascii: "d") }
        return b
    }

    /// A well-formed, fresh message frame that names a random honest peer as author but carries
    /// the attacker's own signature (so the signature check must refuse it).
    func forged(by i: Int) -> [UInt8]? {
        let honest = peers.indices.filter { peers[$0].isHonest }
        guard !honest.isEmpty else { return nil }
        let victim = honest[Int(rng.next() % UInt64(honest.count))]
        serial += 1
        let timestamp = Self.unixMillisAtZero + now.nanoseconds / 1_000_000
        guard let own = try? GossipEnvelope.sign(peers[i].keys, topic: Self.topic, sequence: UInt64(serial),
                                                 timestamp: timestamp, payload: .inline(Array("forged \(serial)".utf8))),
              let envelope = altered(own, "a", .bytes(peers[victim].identity.publicKey)) else { return nil }
        return GossipFrame.message(envelope).encoded()
    }

    /// A genuine message the attacker relayed, sent again with its payload changed (the CID check
    /// must refuse it) or its signed sequence number changed (the signature check must refuse it).
    func alteredReplay(by i: Int) -> [UInt8]? {
        let captured = peers[i].captured
        guard !captured.isEmpty else { return nil }
        let original = captured[Int(rng.next() % UInt64(captured.count))]
        let envelope: GossipEnvelope?
        if rng.next() % 2 == 0, var payload = original.inlinePayload, !payload.isEmpty {
            payload[Int(rng.next() % UInt64(payload.count))] ^= 0x20
            envelope = altered(original, "p", .bytes(payload))
        } else {
            envelope = altered(original, "s", .integer(Int64(original.sequence) + 1 + Int64(rng.next() % 1000)))
        }
        return envelope.map { GossipFrame.message($0).encoded() }
    }

    /// `envelope` with one field of its dictionary replaced (the signature is left as it was).
    func altered(_ envelope: GossipEnvelope, _ key: String, _ value: BencodeValue) -> GossipEnvelope? {
        guard var d = envelope.bencode.dictionaryValue else { return nil }
        d[Array(key.utf8)] = value
        return try? GossipEnvelope(bencode: .dictionary(d))
    }
}
