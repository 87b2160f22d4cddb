import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import VeectorCrypto
import VeectorNet
import VeectorNode
import VeectorSession

/// A channel driver that records what it hears.
final class RecordingDriver: PeerChannelDriver {
    let events = NIOLockedValueBox<[String]>([])
    func peerEvent(_ event: PeerLinkEvent) {
        let text: String
        switch event {
        case let .sessionUp(k): text = "up \(k)"
        case let .sessionDown(k): text = "down \(k)"
        case let .opened(k): text = "open \(k)"
        case let .closed(k): text = "close \(k)"
        case let .data(k, bytes): text = "data \(k) \(String(decoding: bytes, as: UTF8.self))"
        }
        events.withLockedValue { $0.append(text) }
    }
    var all: [String] { events.withLockedValue { $0 } }
}

/// One node's session layer on 127.0.0.1, served in a task until `stop`.
final class LinkNode: Sendable {
    let keys = SigningKeyPair.generate()
    let links: PeerLinks
    let listener: SessionListener
    let gossip = RecordingDriver()
    let transfer = RecordingDriver()
    let task: Task<Void, Never>
    var key: PeerKey { links.ownKey }
    var address: SocketAddress { listener.localAddress }

    init() async throws {
        let endpoint = SessionEndpoint(configuration: SessionConfiguration(role: .responder, identity: keys),
                                       group: MultiThreadedEventLoopGroup.singleton)
        listener = try await endpoint.listen(host: "127.0.0.1", port: 0)
        let links = PeerLinks(endpoint: endpoint, logger: Logger(label: "test"))
        links.register(.gossip, driver: gossip)
        links.register(.transfer, driver: transfer)
        self.links = links
        let listener = self.listener
        task = Task { await links.run(listener: listener) }
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}

/// Polls `condition` every 20 ms for up to `seconds`.
func eventually(_ seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

@Suite("PeerLinks: one session per peer, shared by channels, on loopback TCP", .serialized, .timeLimit(.minutes(2)))
struct PeerLinksTests {
    @Test("messages reach their channel's driver in order; open and close are separate from data")
    func routing() async throws {
        let a = try await LinkNode(), b = try await LinkNode()
        let key = try await a.links.connect(to: b.address)
        #expect(key == b.key)
        #expect(a.links.send(.gossip, .open, [], to: b.key))
        for i in 0..<50 { #expect(a.links.send(.gossip, .data, Array("g\(i)".utf8), to: b.key)) }
        #expect(a.links.send(.transfer, .data, Array("t".utf8), to: b.key))
        #expect(a.links.send(.gossip, .close, [], to: b.key))
        #expect(await eventually { b.gossip.all.count == 53 && b.transfer.all.count == 2 })
        let g = b.gossip.all
        #expect(g.first == "up \(a.key)")
        #expect(g[1] == "open \(a.key)")
        #expect(Array(g[2..<52]) == (0..<50).map { "data \(a.key) g\($0)" })
        #expect(g.last == "close \(a.key)")
        #expect(b.transfer.all == ["up \(a.key)", "data \(a.key) t"])
        // Answers come back over the same session: no second one.
        #expect(b.links.send(.transfer, .data, Array("back".utf8), to: a.key))
        #expect(await eventually { a.transfer.all.contains("data \(b.key) back") })
        #expect(a.links.statistics.open == 1 && b.links.statistics.open == 1)
        #expect(a.links.statistics.dialled == 1 && b.links.statistics.accepted == 1)
        await a.stop(); await b.stop()
    }

    @Test("two peers that dial each other at once keep one session, the same on both sides")
    func simultaneousDial() async throws {
        for _ in 0..<5 {
            let a = try await LinkNode(), b = try await LinkNode()
            async let x = try? a.links.connect(to: b.address)
            async let y = try? b.links.connect(to: a.address)
            _ = await (x, y)
            #expect(await eventually { a.links.statistics.open == 1 && b.links.statistics.open == 1 })
            try? await Task.sleep(for: .milliseconds(200))
            #expect(a.links.connectedPeers == [b.key] && b.links.connectedPeers == [a.key])
            // The surviving session carries messages both ways.
            #expect(a.links.send(.gossip, .data, Array("ping".utf8), to: b.key))
            #expect(b.links.send(.gossip, .data, Array("pong".utf8), to: a.key))
            #expect(await eventually { b.gossip.all.contains("data \(a.key) ping") && a.gossip.all.contains("data \(b.key) pong") })
            // Every up is matched by at most one down before it (a replaced session): the last word is up.
            #expect(a.gossip.all.filter { $0.hasPrefix("up") || $0.hasPrefix("down") }.last == "up \(b.key)")
            #expect(b.gossip.all.filter { $0.hasPrefix("up") || $0.hasPrefix("down") }.last == "up \(a.key)")
            await a.stop(); await b.stop()
        }
    }

    @Test("a refused key loses its session and cannot open another until its time is up")
    func refuse() async throws {
        let a = try await LinkNode(), b = try await LinkNode()
        _ = try await a.links.connect(to: b.address)
        #expect(await eventually { b.links.isConnected(a.key) })
        b.links.refuse(a.key, until: .now() + .seconds(60), reason: "test graylist")
        #expect(await eventually { !a.links.isConnected(b.key) && !b.links.isConnected(a.key) })
        #expect(b.gossip.all.last == "down \(a.key)")
        _ = try? await a.links.connect(to: b.address)
        #expect(await eventually { b.links.statistics.refusedSessions >= 1 })
        #expect(await eventually { !a.links.isConnected(b.key) })
        #expect(b.links.refusedPeers.map(\.0) == [a.key])
        await a.stop(); await b.stop()
    }

    @Test("a key is dialled through the resolver; with none, the error says no address is known")
    func resolver() async throws {
        let a = try await LinkNode(), b = try await LinkNode()
        await #expect(throws: PeerLinkError.noAddress(b.key)) { try await a.links.ensureSession(with: b.key) }
        let address = b.address
        a.links.setResolver { key in key == b.key ? [address] : [] }
        // Several callers at once share one dial.
        async let one: Void = a.links.ensureSession(with: b.key)
        async let two: Void = a.links.ensureSession(with: b.key)
        _ = try await (one, two)
        #expect(a.links.isConnected(b.key))
        #expect(a.links.statistics.dialled == 1)
        // The wrong key at an address is refused (d has no session to b, so it must dial).
        let c = try await LinkNode(), d = try await LinkNode()
        await #expect(throws: PeerLinkError.self) { try await d.links.connect(to: c.address, expecting: b.key) }
        #expect(!d.links.isConnected(c.key) && d.links.statistics.dialFailures == 1)
        await a.stop(); await b.stop(); await c.stop(); await d.stop()
    }
}
