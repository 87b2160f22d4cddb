import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
import VeectorNet
import VeectorWire

/// A small real datagram protocol to drive: "ping N" is answered with "pong N"; "arm" arms a timer
/// that, when it fires, sends "fired" back to whoever asked; "cancel" disarms it.
struct PingPongCore: DatagramProtocolCore {
    enum Event: Sendable { case datagram(PeerAddress, [UInt8]), timer(Int), command(String, PeerAddress) }
    enum Action: Sendable { case send(PeerAddress, [UInt8]), arm(Int, Duration), cancel(Int), received(String, PeerAddress, Instant) }
    typealias TimerID = Int

    var timerRequester: PeerAddress?
    var lastInstant = Instant.zero
    var randomDraws: [UInt64] = []

    mutating func handle(_ event: Event, now: Instant, rng: inout some RandomNumberGenerator) -> [Action] {
        precondition(now >= lastInstant, "instants must never go back")
        lastInstant = now
        randomDraws.append(rng.next())
        switch event {
        case let .command(text, to):
            return [.send(to, Array(text.utf8))]
        case let .timer(id):
            guard let who = timerRequester else { return [] }
            return [.send(who, Array("fired \(id)".utf8))]
        case let .datagram(from, bytes):
            let text = String(decoding: bytes, as: UTF8.self)
            var actions: [Action] = [.received(text, from, now)]
            if text.hasPrefix("ping ") {
                actions.append(.send(from, Array(("pong " + text.dropFirst(5)).utf8)))
            } else if text.hasPrefix("arm ") {
                timerRequester = from
                actions.append(.arm(7, .milliseconds(Int(text.dropFirst(4)) ?? 0)))
            } else if text == "cancel" {
                actions.append(.cancel(7))
            }
            return actions
        }
    }

    static func datagramEvent(from source: PeerAddress, bytes: [UInt8]) -> Event { .datagram(source, bytes) }
    static func timerEvent(_ id: Int) -> Event { .timer(id) }
    static func driverAction(for action: Action) -> DatagramDriverAction<Int> {
        switch action {
        case let .send(to, bytes): return .send(to: to, bytes: bytes)
        case let .arm(id, after): return .setTimer(id, after: after)
        case let .cancel(id): return .cancelTimer(id)
        case .received: return .deliver
        }
    }
}

/// Collects delivered actions and lets a test wait for the n-th one.
final class Inbox: @unchecked Sendable {
    private var items: [(String, PeerAddress)] = []
    private var waiters: [(Int, CheckedContinuation<[(String, PeerAddress)], Never>)] = []
    private let lock = NSLock()

    func deliver(_ action: PingPongCore.Action) {
        guard case let .received(text, from, _) = action else { return }
        let ready: [CheckedContinuation<[(String, PeerAddress)], Never>]
        let snapshot: [(String, PeerAddress)]
        (ready, snapshot) = lock.withLock {
            items.append((text, from))
            let r = waiters.filter { $0.0 <= items.count }.map(\.1)
            waiters.removeAll { $0.0 <= items.count }
            return (r, items)
        }
        for c in ready { c.resume(returning: snapshot) }
    }

    /// Waits until `count` messages have arrived (the test's time limit bounds the wait).
    func wait(for count: Int) async -> [(String, PeerAddress)] {
        await withCheckedContinuation { c in
            let now: [(String, PeerAddress)]? = lock.withLock {
                if items.count >= count { return items }
                waiters.append((count, c))
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }
}

@Suite("UDP driver on real sockets", .timeLimit(.minutes(10)))
struct UDPDriverTests {
    let logger = Logger(label: "test")

    @Test("two drivers on loopback exchange datagrams and count them")
    func pingPong() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let aInbox = Inbox(), bInbox = Inbox()
        let a = try await UDPDriver.start(core: PingPongCore(), host: "127.0.0.1", port: 0, group: group, logger: logger, deliver: aInbox.deliver)
        let b = try await UDPDriver.start(core: PingPongCore(), host: "127.0.0.1", port: 0, group: group, logger: logger, deliver: bInbox.deliver)
        #expect(a.localAddress.ip == IPv4Address(127, 0, 0, 1))
        #expect(a.localAddress.port != 0 && a.localAddress.port != b.localAddress.port)

        for i in 0..<5 { try await a.submit(.command("ping \(i)", b.localAddress)) }
        let atB = await bInbox.wait(for: 5)
        let atA = await aInbox.wait(for: 5)
        #expect(Set(atB.map(\.0)) == Set((0..<5).map { "ping \($0)" }))
        #expect(Set(atA.map(\.0)) == Set((0..<5).map { "pong \($0)" }))
        #expect(atA.allSatisfy { $0.1 == b.localAddress } && atB.allSatisfy { $0.1 == a.localAddress })

        let ca = await a.counters(), cb = await b.counters()
        #expect(ca.packetsOut == 5 && ca.packetsIn == 5 && cb.packetsIn == 5 && cb.packetsOut == 5)
        #expect(ca.bytesOut == UInt64((0..<5).map { "ping \($0)".utf8.count }.reduce(0, +)))
        #expect(ca.bytesIn == cb.bytesOut)

        // The core saw distinct random draws from its own seeded generator, and time never went back.
        let draws = try await b.withCore { $0.randomDraws }
        #expect(draws.count == 5 && Set(draws).count == 5)
        await a.close(); await b.close()
        try await group.shutdownGracefully()
    }

    @Test("datagrams up to the maximum size arrive whole, also when several are read at once")
    func sizes() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let aInbox = Inbox(), bInbox = Inbox()
        let a = try await UDPDriver.start(core: PingPongCore(), host: "127.0.0.1", port: 0, group: group, logger: logger, deliver: aInbox.deliver)
        let b = try await UDPDriver.start(core: PingPongCore(), host: "127.0.0.1", port: 0, group: group, logger: logger, deliver: bInbox.deliver)
        let sizes = [1, 255, 257, 1500, 3000, UDPDriver<PingPongCore>.maximumDatagramBytes]
        for n in sizes { try await a.submit(.command(String(repeating: "x", count: n), b.localAddress)) }
        let got = await bInbox.wait(for: sizes.count)
        #expect(got.map(\.0.count).sorted() == sizes)
        await a.close(); await b.close()
        try await group.shutdownGracefully()
    }

    @Test("a timer armed by the core fires through the event loop; a cancelled one does not")
    func timers() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let aInbox = Inbox(), bInbox = Inbox()
        let a = try await UDPDriver.start(core: PingPongCore(), host: "127.0.0.1", port: 0, group: group, logger: logger, deliver: aInbox.deliver)
        let b = try await UDPDriver.start(core: PingPongCore(), host: "127.0.0.1", port: 0, group: group, logger: logger, deliver: bInbox.deliver)

        try await a.submit(.command("arm 20", b.localAddress))
        let fired = await aInbox.wait(for: 1)
        #expect(fired.first?.0 == "fired 7")
        #expect(await b.counters().timersFired == 1)

        // Arm a long timer, cancel it, then arm a short one: only the short one's message arrives.
        try await a.submit(.command("arm 100000", b.localAddress))
        try await a.submit(.command("cancel", b.localAddress))
        _ = await bInbox.wait(for: 3)
        try await a.submit(.command("arm 10", b.localAddress))
        let all = await aInbox.wait(for: 2)
        #expect(all.map(\.0) == ["fired 7", "fired 7"])
        #expect(await b.counters().timersFired == 2)
        await a.close(); await b.close()
        try await group.shutdownGracefully()
    }

    @Test("binding an address not on this host fails with a typed error naming it; a closed driver refuses events")
    func bindConflict() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let a = try await UDPDriver.start(core: PingPongCore(), host: "127.0.0.1", port: 0, group: group, logger: logger, deliver: { _ in })
        await #expect(throws: NetError.self) {
            _ = try await UDPDriver.start(core: PingPongCore(), host: "192.0.2.1", port: 0, group: group, logger: self.logger, deliver: { _ in })
        }
        do {
            _ = try await UDPDriver.start(core: PingPongCore(), host: "192.0.2.1", port: 0, group: group, logger: logger, deliver: { _ in })
        } catch {
            #expect("\(error)".contains("192.0.2.1"))
        }
        await a.close()
        await #expect(throws: NetError.closed) { try await a.submit(.command("ping 1", a.localAddress)) }
        try await group.shutdownGracefully()
    }

    @Test("the seeded generator is reproducible from its seed and differs between seeds")
    func generator() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<8).map { _ in a.next() }, sb = (0..<8).map { _ in b.next() }, sc = (0..<8).map { _ in c.next() }
        #expect(sa == sb && sa != sc && Set(sa).count == 8)
        #expect(SeededGenerator().seed != SeededGenerator().seed)
    }
}
