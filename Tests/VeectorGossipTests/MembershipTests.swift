import Testing
import VeectorGossip
import VeectorWire

@Suite("Gossip membership")
struct MembershipTests {
    @Test("a late joiner gets recent history by lazy pull and everything published after it joined")
    func lateJoiner() throws {
        let net = GossipNetwork(count: 31, seed: 11, configuration: simulationConfiguration())
        net.randomTopology(Array(0..<30), meanDegree: 4, maxDegree: 8)
        subscribeAll(net)
        var t = net.now
        for m in 0..<5 {
            net.command(m * 3, .publish(announce, .inline(Array("before \(m)".utf8))), at: t)
            t = t.advanced(by: .milliseconds(100))
        }
        net.run(until: t.advanced(by: .seconds(2)))
        let joiner = 30
        net.command(joiner, .subscribe(announce))
        for peer in [1, 12, 25] { net.connect(joiner, peer) }
        net.run(until: net.now.advanced(by: .seconds(2)))
        t = net.now
        for m in 0..<5 {
            net.command(m * 5 + 1, .publish(announce, .inline(Array("after \(m)".utf8))), at: t)
            t = t.advanced(by: .milliseconds(100))
        }
        net.run(until: t.advanced(by: .seconds(3)))
        #expect(net.published.count == 10)
        for id in net.published.keys {
            #expect(net.deliveryCount[joiner][id] == 1, "the late joiner delivered \(id) \(net.deliveryCount[joiner][id] ?? 0) times")
        }
        let copies = net.published.keys.map { net.copies[joiner][$0] ?? 0 }
        print("late joiner: full copies per message mean \(Double(copies.reduce(0, +)) / Double(copies.count)) max \(copies.max()!)")
    }

    @Test("unsubscribed nodes neither deliver nor relay; a subscriber behind them still hears by others")
    func unsubscribe() throws {
        let net = GossipNetwork(count: 12, seed: 5, configuration: simulationConfiguration())
        net.randomTopology(Array(0..<12), meanDegree: 4, maxDegree: 6)
        subscribeAll(net)
        net.command(3, .unsubscribe(announce))
        net.run(until: net.now.advanced(by: .milliseconds(300)))
        #expect(net.nodes[3]!.topics.isEmpty)
        net.command(0, .publish(announce, .inline([1, 2, 3])))
        net.run(until: net.now.advanced(by: .seconds(3)))
        let id = try #require(net.published.keys.first)
        #expect(net.deliveryCount[3][id] == nil)
        #expect(!net.forwarded[3].contains(id))
        for n in 0..<12 where n != 3 && n != 0 && net.isConnected(n, to: 0, avoiding: 3) {
            #expect(net.deliveryCount[n][id] == 1)
        }
    }

    @Test("below the target degree the node connects to candidates, then asks for more peers")
    func degreeMaintenance() throws {
        var c = simulationConfiguration()
        c.targetPeers = 3
        let net = GossipNetwork(count: 4, seed: 3, configuration: c)
        net.command(0, .addCandidates([net.peers[1], net.peers[2]]))
        net.run(until: .seconds(2))
        #expect(net.links.contains(.init(0, 1)) && net.links.contains(.init(0, 2)))
        #expect(net.peerRequests > 0)
        #expect(!net.links.contains(.init(0, 3)))
    }
}

extension GossipNetwork {
    /// Whether `a` reaches `b` over open links without passing through `avoiding`.
    func isConnected(_ a: Int, to b: Int, avoiding: Int) -> Bool {
        var seen: Set<Int> = [a], stack = [a]
        while let x = stack.popLast() {
            if x == b { return true }
            for l in links where (l.a == x || l.b == x) {
                let y = l.a == x ? l.b : l.a
                if y != avoiding, seen.insert(y).inserted { stack.append(y) }
            }
        }
        return false
    }
}
