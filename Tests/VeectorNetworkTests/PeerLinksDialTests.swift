import NIOCore
import Testing
import VeectorNode

/// The lost-session bug of long fetches (`Docs/benchmarks.md`, "Content by ID"): gossip's peer
/// discovery and the fetcher's provider lookup dial DHT addresses without knowing whose they are, and
/// each dial of a connected peer's address opened a second session that replaced the first under the
/// one-session rule, cutting the transfer on it every few seconds.
@Suite("PeerLinks: dialling a connected peer's address keeps its session", .serialized, .timeLimit(.minutes(2)))
struct PeerLinksDialTests {
    /// Dials `address` from `node` `count` times at once; the keys proved, in no order.
    static func dialAtOnce(_ node: LinkNode, _ address: SocketAddress, count: Int) async -> [PeerKey?] {
        await withTaskGroup(of: PeerKey?.self) { group in
            for _ in 0..<count { group.addTask { try? await node.links.connect(to: address) } }
            var keys: [PeerKey?] = []
            for await key in group { keys.append(key) }
            return keys
        }
    }

    @Test("concurrent first dials of one address share one handshake and one session")
    func concurrentFirstDials() async throws {
        let a = try await LinkNode(), b = try await LinkNode()
        let keys = await Self.dialAtOnce(a, b.address, count: 8)
        #expect(keys == Array(repeating: b.key, count: 8))
        #expect(await eventually { b.links.statistics.accepted >= 1 })
        try await Task.sleep(for: .milliseconds(200))
        #expect(a.links.statistics.dialled == 1, "one dial for eight callers")
        #expect(b.links.statistics.accepted == 1)
        #expect(!a.transfer.all.contains { $0.hasPrefix("down") } && !b.transfer.all.contains { $0.hasPrefix("down") })
        await a.stop(); await b.stop()
    }

    @Test("redialling the address of a connected peer while messages flow reuses the session and cuts nothing")
    func redialKeepsTheSession() async throws {
        let a = try await LinkNode(), b = try await LinkNode()
        #expect(try await a.links.connect(to: b.address) == b.key)
        for round in 0..<5 {
            #expect(a.links.send(.transfer, .data, Array("before \(round)".utf8), to: b.key))
            let keys = await Self.dialAtOnce(a, b.address, count: 3)
            #expect(keys == Array(repeating: b.key, count: 3))
            #expect(a.links.send(.transfer, .data, Array("after \(round)".utf8), to: b.key))
        }
        #expect(await eventually { b.transfer.all.filter { $0.hasPrefix("data") }.count == 10 })
        let expected = (0..<5).flatMap { ["data \(a.key) before \($0)", "data \(a.key) after \($0)"] }
        #expect(b.transfer.all.filter { $0.hasPrefix("data") } == expected, "every message arrived, in order, on one session")
        #expect(a.links.statistics.dialled == 1 && b.links.statistics.accepted == 1)
        #expect(a.transfer.all == ["up \(b.key)"] && b.transfer.all.first == "up \(a.key)")
        #expect(!b.transfer.all.contains { $0.hasPrefix("down") })
        await a.stop(); await b.stop()
    }

    @Test("a dial that expects another key than the one proved at a connected address is refused without a new session")
    func expectingAnotherKey() async throws {
        let a = try await LinkNode(), b = try await LinkNode(), c = try await LinkNode()
        #expect(try await a.links.connect(to: b.address) == b.key)
        await #expect(throws: PeerLinkError.self) { try await a.links.connect(to: b.address, expecting: c.key, timeout: .seconds(3)) }
        #expect(a.links.connectedPeers == [b.key])
        #expect(a.links.connectedKey(at: b.address) == b.key)
        await a.stop(); await b.stop(); await c.stop()
    }
}
