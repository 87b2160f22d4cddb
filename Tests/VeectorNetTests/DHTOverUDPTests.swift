import Foundation
import Logging
import NIOPosix
import Testing
import VeectorCrypto
import VeectorDHT
import VeectorNet
import VeectorWire

/// Collects `complete` actions by command ID.
final class Completions: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [DHTCommandID: DHTResult] = [:]
    func deliver(_ action: DHTAction) {
        if case let .complete(id, r) = action { lock.withLock { results[id] = r } }
    }
    /// Polls for the result of `id` (the DHT always completes a command; the suite's time limit bounds the wait).
    func wait(_ id: DHTCommandID) async throws -> DHTResult {
        while true {
            if let r = lock.withLock({ results[id] }) { return r }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

@Suite("The DHT core on real UDP sockets", .timeLimit(.minutes(10)))
struct DHTOverUDPTests {
    let logger = Logger(label: "test")

    func node(_ group: MultiThreadedEventLoopGroup, _ inbox: Completions) async throws -> UDPDriver<DHTNode> {
        var rng = SeededGenerator()
        let core = DHTNode(ownID: NodeID.random(using: &rng), now: MonotonicClock().now(), rng: &rng)
        return try await UDPDriver.start(core: core, host: "127.0.0.1", port: 0, group: group, rng: rng, logger: logger,
                                         deliver: inbox.deliver)
    }

    @Test("nodes on loopback: bootstrap, ping, and a signed mutable item with a dictionary value published and found by a third node")
    func twoNodes() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let ia = Completions(), ib = Completions()
        let a = try await node(group, ia), b = try await node(group, ib)

        try await b.submit(.command(1, .bootstrap([a.localAddress])))
        guard case let .bootstrapped(report) = try await ib.wait(1) else { Issue.record("bootstrap failed"); return }
        #expect(report.answered == 1)
        try await b.submit(.command(2, .ping(a.localAddress)))
        guard case let .pong(contact) = try await ib.wait(2) else { Issue.record("no pong"); return }
        #expect(contact.address == a.localAddress)

        let keys = SigningKeyPair.generate()
        let value: BencodeValue = .dict(["a": .list([.bytes(b.localAddress.compact)]), "id": .bytes(Array(repeating: 7, count: 20)), "t": 1_700_000_000])
        let item = MutableItem.signed(value: value, seq: 1_700_000_000, salt: Array("veector-endpoint-v1".utf8), keyPair: keys)
        try await b.submit(.command(3, .publish(.mutable(item))))
        let stored = try await ib.wait(3)
        guard case let .stored(r) = stored else { Issue.record("publish: \(stored)"); return }
        #expect(r.stored == 1, "\(r)")

        // A third node that joined through B finds the item on A.
        let ic = Completions()
        let c = try await node(group, ic)
        try await c.submit(.command(5, .bootstrap([b.localAddress])))
        _ = try await ic.wait(5)
        try await c.submit(.command(4, .getItem(target: item.target, salt: item.salt, seq: nil)))
        let got = try await ic.wait(4)
        guard case let .item(found, _) = got else { Issue.record("get: \(got)"); return }
        #expect(found == .mutable(item))
        let stats = try await a.withCore { $0.stats }
        #expect(stats.droppedMalformed == 0)
        await a.close(); await b.close(); await c.close()
        try await group.shutdownGracefully()
    }
}
