import Testing
import VeectorWire
@testable import VeectorDHT

/// A seeded random-input harness over the bencode and KRPC decoders and the node core.
@Suite("DHTNode: malformed input")
struct DHTNodeFuzzTests {
    /// Valid messages of every kind, to mutate.
    static func corpus(rng: inout SeededRNG) throws -> [[UInt8]] {
        let id = NodeID.random(using: &rng), target = NodeID.random(using: &rng)
        let item = try #require(MutableItem.signed(value: ["a": 1], seq: 9, salt: [1, 2], seed: [UInt8](repeating: 3, count: 32)))
        let contacts = (0..<3).map { i in NodeContact(id: NodeID.random(using: &rng), address: PeerAddress(ip: IPv4Address(10, 1, 0, UInt8(i)), port: 80)) }
        let queries: [KRPCQuery] = [
            .ping(id: id), .findNode(id: id, target: target), .getPeers(id: id, infoHash: target),
            .announcePeer(AnnouncePeerArguments(id: id, infoHash: target, port: 80, impliedPort: true, token: [1, 2, 3, 4, 5, 6, 7, 8])),
            .get(GetArguments(id: id, target: target, seq: 4)),
            .put(PutArguments(id: id, token: [1, 2], item: .mutable(item), cas: 8)),
            .put(PutArguments(id: id, token: [1, 2], item: .immutable(["x": [1, 2, "y"]]))),
        ]
        var out = queries.map { KRPCMessage(transactionID: [0x61, 0x61], body: .query($0)).encoded() }
        out.append(KRPCMessage(transactionID: [1], body: .response(KRPCResponse(id: id, nodes: contacts, values: contacts.map(\.address),
                                                                                 token: [9], value: "v", publicKey: item.publicKey,
                                                                                 signature: item.signature, seq: 9))).encoded())
        out.append(KRPCMessage(transactionID: [2], body: .error(KRPCErrorMessage(code: 201, "generic"))).encoded())
        return out
    }

    /// One mutated input: byte flips, truncation, insertion of bencode-ish tokens, splices, or noise.
    static func mutate(_ corpus: [[UInt8]], rng: inout SeededRNG) -> [UInt8] {
        var bytes = corpus.randomElement(using: &rng)!
        let tokens: [[UInt8]] = ["i", "e", "l", "d", "0:", "1:", "20:", "99999999999:", "i-0e", "i99999999999999999999e", "q", "y", "t"].map { Array($0.utf8) }
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
            case 2:
                bytes.insert(contentsOf: tokens.randomElement(using: &rng)!, at: Int.random(in: 0...bytes.count, using: &rng))
            case 3:
                let other = corpus.randomElement(using: &rng)!
                let cut = Int.random(in: 0...bytes.count, using: &rng), from = Int.random(in: 0...other.count, using: &rng)
                bytes = Array(bytes[..<cut] + other[from...])
            case 4 where !bytes.isEmpty:
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...8, using: &rng)))
            default:
                bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
        }
        return Array(bytes.prefix(1500))
    }

    /// 120 000 inputs: decoders never crash; the node answers only queries (a reply or a 20x error
    /// echoing `t`), stays silent otherwise, and its state stays within its bounds.
    @Test func randomInputNeverCrashesAndGetsErrorsOrSilence() throws {
        var rng = SeededRNG(seed: 2024)
        let corpus = try Self.corpus(rng: &rng)
        let configuration = DHTConfiguration(rateLimit: DHTRateLimitConfiguration(packetsPerSecond: 1_000_000, burst: 1_000_000, maxTrackedAddresses: 256))
        var node = DHTNode(ownID: NodeID.random(using: &rng), configuration: configuration, now: .zero, rng: &rng)
        var now = Instant.seconds(1)
        var replies = 0, silences = 0, validQueries = 0, malformedAnswered = 0
        let inputs = 120_000
        for k in 0..<inputs {
            let bytes = k % 10 == 0 ? corpus[k / 10 % corpus.count] : Self.mutate(corpus, rng: &rng)
            let from = PeerAddress(ip: IPv4Address(10, 9, UInt8(k % 251), UInt8(k % 241)), port: UInt16(1024 + k % 5000))
            // The decoders alone.
            let value = try? BencodeDecoder().decode(bytes)
            let message = try? KRPCMessage(decoding: bytes)
            if value == nil { #expect(message == nil) }
            // The core.
            now = now.advanced(by: .milliseconds(1))
            let actions = node.handle(.datagram(from: from, bytes: bytes), now: now, rng: &rng)
            let toSender = actions.compactMap { action -> [UInt8]? in
                if case let .send(to, b) = action, to == from { b } else { nil }
            }
            var isQuery = false
            if case .query? = message?.body { isQuery = true; validQueries += 1 }
            let malformedQuery = message == nil && value?["y"]?.bytesValue == Array("q".utf8) && value?["t"]?.bytesValue != nil
            if isQuery || malformedQuery {
                #expect(toSender.count == 1)
                guard let reply = toSender.first.flatMap({ try? KRPCMessage(decoding: $0) }) else {
                    Issue.record("no decodable reply to \(bytes)")
                    continue
                }
                #expect(reply.transactionID == (message?.transactionID ?? value?["t"]?.bytesValue))
                if malformedQuery {
                    guard case let .error(e) = reply.body else { Issue.record("malformed query answered"); continue }
                    #expect(e.code == 203 || e.code == 204)
                    malformedAnswered += 1
                }
                replies += 1
            } else {
                #expect(toSender.isEmpty)
                silences += 1
            }
        }
        let s = node.stats
        print("DHTNode fuzz: \(inputs) inputs, \(validQueries) valid queries, \(replies) replies (\(malformedAnswered) errors to malformed queries), \(silences) silences, \(s.droppedMalformed) malformed, table \(s.routingTableSize), in flight \(s.queriesInFlight)")
        #expect(replies + silences == inputs)
        #expect(replies > 10_000 && silences > 10_000 && malformedAnswered > 300)
        // Bounded state: nothing grows with the input.
        #expect(s.routingTableSize <= 160 * 8)
        #expect(s.queriesInFlight <= configuration.maxLivenessPings)
        #expect(node.peerStore.count <= configuration.peers.maxPeers)
        #expect(node.itemStore.count <= configuration.items.maxItems)
        #expect(node.limiterTrackedAddresses <= 256)
    }
}
