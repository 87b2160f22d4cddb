import ContentID
import Testing
import VeectorCrypto
import VeectorGossip
import VeectorWire

@Suite("Gossip fault isolation")
struct FaultIsolationTests {
    /// What an adversary sends to each honest neighbour.
    enum Attack: CaseIterable { case garbage, forgedSignature, alteredReplay }

    @Test("forgers, garbage and altered replays spread nowhere; offenders are disconnected and graylisted")
    func adversaries() throws {
        let honestCount = 40, total = 50
        let bad = Set(honestCount..<total)
        let net = GossipNetwork(count: total, seed: 7, configuration: simulationConfiguration(), adversaries: bad)
        net.randomTopology(Array(0..<honestCount), meanDegree: 5, maxDegree: 9)
        for a in bad.sorted() {
            for _ in 0..<3 { net.connect(a, Int(net.rng.next() % UInt64(honestCount))) }
        }
        net.run(until: net.now)
        // Adversaries announce they follow the topic so honest nodes push real messages to them.
        for a in bad.sorted() {
            for h in 0..<honestCount where net.links.contains(.init(a, h)) {
                net.inject(GossipFrame.subscribe([announce]).encoded(), from: a, to: h)
            }
        }
        subscribeAll(net)
        let start = net.now
        for m in 0..<10 {
            net.command(Int(net.rng.next() % UInt64(honestCount)), .publish(announce, .inline(Array("real \(m)".utf8))),
                        at: start.advanced(by: .milliseconds(Int64(200 * m))))
        }
        net.run(until: start.advanced(by: .seconds(1)))

        var attacked: [(adversary: Int, victim: Int)] = []
        for a in bad.sorted() {
            let attack = Attack.allCases[a % 3]
            for h in 0..<honestCount where net.links.contains(.init(a, h)) {
                attacked.append((a, h))
                net.inject(try craft(attack, adversary: a, net: net), from: a, to: h)
            }
        }
        net.run(until: net.now.advanced(by: .seconds(1)))
        // Offenders try to come back: they are refused.
        for (a, h) in attacked { net.connect(a, h) }
        net.run(until: start.advanced(by: .seconds(8)))

        #expect(!attacked.isEmpty)
        let real = Set(net.published.keys)
        #expect(real.count == 10)
        for h in 0..<honestCount {
            #expect(Set(net.deliveries[h].keys).isSubset(of: real), "honest node \(h) delivered a forgery")
            #expect(net.forwarded[h].isSubset(of: real), "honest node \(h) forwarded a forgery")
            for id in real where net.published[id]!.author != h {
                #expect(net.deliveryCount[h][id] == 1, "honest node \(h) missed or repeated \(id)")
            }
        }
        for (a, h) in attacked {
            #expect(!net.links.contains(.init(a, h)), "link \(h)–\(a) still open")
            #expect(net.graylists.contains { $0.by == h && $0.peer == a }, "\(h) did not graylist \(a)")
            #expect(net.disconnects.contains { $0.by == h && $0.peer == a && $0.reason == .graylisted },
                    "\(h) did not refuse \(a)'s reconnection")
            #expect(net.nodes[h]!.isGraylisted(net.peers[a], now: net.now))
        }
        for h in 0..<honestCount {
            for other in 0..<honestCount where net.links.contains(.init(h, other)) {
                #expect(!net.graylists.contains { $0.by == h && $0.peer == other }, "honest \(other) was graylisted by \(h)")
            }
        }
    }

    /// One malicious frame of the given kind from adversary `a`.
    func craft(_ attack: Attack, adversary a: Int, net: GossipNetwork) throws -> [UInt8] {
        switch attack {
        case .garbage:
            return net.rng.bytes(200)
        case .forgedSignature:
            // Claims an honest author but is signed with the adversary's own key.
            let mine = try GossipEnvelope.sign(net.keys[a], topic: announce, sequence: 99, timestamp: 1_700_000_003_000,
                                               payload: .inline(Array("forged".utf8)))
            var dict = mine.bencode.dictionaryValue!
            dict[Array("a".utf8)] = .bytes(net.keys[0].publicKey)
            return BencodeValue.dict(["e": .dictionary(dict), "v": 1, "y": "m"]).encoded()
        case .alteredReplay:
            // A real message it received, with its payload swapped (CID and signature kept).
            let real = try #require(net.adversaryInbox[a]?.first ?? net.adversaryInbox.keys.sorted().compactMap { net.adversaryInbox[$0]?.first }.first,
                                   "no adversary received a real message to replay")
            var dict = real.bencode.dictionaryValue!
            let evil = Array("evil payload".utf8)
            dict[Array("p".utf8)] = .bytes(evil)
            dict[Array("n".utf8)] = .integer(Int64(evil.count))
            return BencodeValue.dict(["e": .dictionary(dict), "v": 1, "y": "m"]).encoded()
        }
    }
}
