import Testing
import VeectorWire
@testable import VeectorDHT

@Suite("DHTNode: liveness")
struct DHTNodeLivenessTests {
    /// A full bucket of silent nodes: a newcomer makes the node ping the questionable ones; each
    /// unanswered ping counts a failure, and at the second the newcomers from the replacement
    /// cache take the slots.
    @Test func questionableNodesArePingedThenReplaced() throws {
        var rng = SeededRNG(seed: 77)
        let own = NodeID([UInt8](repeating: 0x11, count: 20))!
        var node = DHTNode(ownID: own, now: .zero, rng: &rng)
        func contact(_ i: UInt8) -> NodeContact {   // all in bucket 0 (first bit differs from ours)
            NodeContact(id: NodeID([0x80 | i] + [UInt8](repeating: i, count: 19))!, address: PeerAddress(ip: IPv4Address(192, 168, 2, i), port: 6881))
        }
        func ping(from c: NodeContact, at now: Instant) -> [DHTAction] {
            let bytes = KRPCMessage(transactionID: [i8(c)], body: .query(.ping(id: c.id))).encoded()
            return node.handle(.datagram(from: c.address, bytes: bytes), now: now, rng: &rng)
        }
        func i8(_ c: NodeContact) -> UInt8 { c.address.ip.bytes[3] }
        /// Our ping queries in `actions`, with their timeout timers.
        func pings(_ actions: [DHTAction]) -> [(to: PeerAddress, tid: [UInt8])] {
            actions.compactMap { a in
                guard case let .send(to, bytes) = a, let m = try? KRPCMessage(decoding: bytes), case .query(.ping) = m.body else { return nil }
                return (to, m.transactionID)
            }
        }
        let old = (1...8).map { contact(UInt8($0)) }
        for c in old { _ = ping(from: c, at: .seconds(1)) }
        #expect(node.routingTable.count == 8)
        // 16 minutes of silence: all questionable. A newcomer is cached and the old ones are pinged.
        var now = Instant.seconds(16 * 60)
        let first = pings(ping(from: contact(9), at: now))
        #expect(Set(first.map(\.to)) == Set(old.map(\.address)))
        #expect(node.routingTable.entry(for: contact(9).id) == nil)
        // Nobody answers: one failure each.
        now = now.advanced(by: .seconds(3))
        for p in first { _ = node.handle(.timer(.queryTimeout(transactionID: p.tid)), now: now, rng: &rng) }
        #expect(old.allSatisfy { node.routingTable.entry(for: $0.id)?.failures == 1 })
        // One old node answers the next round; the others fail again and are replaced.
        let second = pings(ping(from: contact(10), at: now))
        #expect(second.count == 8)
        now = now.advanced(by: .seconds(1))
        let alive = try #require(second.first { $0.to == old[0].address })
        let pong = KRPCMessage(transactionID: alive.tid, body: .response(KRPCResponse(id: old[0].id))).encoded()
        _ = node.handle(.datagram(from: old[0].address, bytes: pong), now: now, rng: &rng)
        now = now.advanced(by: .seconds(3))
        for p in second where p.to != old[0].address { _ = node.handle(.timer(.queryTimeout(transactionID: p.tid)), now: now, rng: &rng) }
        #expect(node.routingTable.entry(for: old[0].id)?.failures == 0)
        #expect(node.routingTable.entry(for: contact(9).id) != nil)
        #expect(node.routingTable.entry(for: contact(10).id) != nil)
        #expect(node.routingTable.count == 8)
        #expect(node.stats.timeouts == 15)
    }

    /// More commands than `maxOperations` at once: the extra ones fail at once with a typed error.
    @Test func operationsAreBounded() throws {
        var rng = SeededRNG(seed: 78)
        var node = DHTNode(ownID: NodeID.random(using: &rng), configuration: DHTConfiguration(maxOperations: 2), now: .zero, rng: &rng)
        let peer = PeerAddress(ip: IPv4Address(10, 0, 0, 1), port: 1)
        _ = node.handle(.command(1, .ping(peer)), now: .zero, rng: &rng)
        _ = node.handle(.command(2, .ping(peer)), now: .zero, rng: &rng)
        let third = node.handle(.command(3, .ping(peer)), now: .zero, rng: &rng)
        #expect(third == [.complete(3, .failed(.tooManyOperations(limit: 2)))])
        #expect(node.stats.operationsRunning == 2 && node.stats.queriesInFlight == 2)
    }
}
