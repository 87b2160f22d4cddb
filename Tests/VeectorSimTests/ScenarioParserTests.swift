import Testing
import VeectorWire
@testable import VeectorSim

@Suite struct ScenarioParserTests {
    @Test func parsesEveryStatement() throws {
        let text = """
        # partition and heal
        peers 50
        duration 1h30m
        seed 7
        network latency 20ms..120ms jitter 3ms loss 1% uplink 5Mbit
        nat 30% upnp 50%
        at 2m publish 10      # records
        at 0s join all via 0 over 60s
        at 10m partition 50%
        at 20m heal
        at 25m crash 10%
        at 30m restart
        at 0s adversary forge 5 rate 20
        expect lookups 99%
        expect no-forged
        """
        let s = try ScenarioParser.parse(text, name: "t")
        #expect(s.peers == 50)
        #expect(s.duration == .seconds(5400))
        #expect(s.seed == 7)
        #expect(s.network.minimumLatency == .milliseconds(20))
        #expect(s.network.maximumLatency == .milliseconds(120))
        #expect(s.network.jitter == .milliseconds(3))
        #expect(s.network.loss == 0.01)
        #expect(s.network.uplinkBytesPerSecond == 625_000)
        #expect(s.natFraction == 0.3 && s.upnpFraction == 0.5)
        // Sorted by time, file order kept for equal times.
        #expect(s.timeline.map(\.step) == [
            .join(.all, via: 0, over: .seconds(60)),
            .adversary(.forge, .count(5), rate: 20),
            .publish(count: 10),
            .partition(0.5), .heal, .crash(.fraction(0.1)), .restart,
        ])
        #expect(s.timeline.first?.line == 8)
        #expect(s.expectations == [.lookupSuccess(atLeast: 0.99), .noForgedAccepted])
    }

    @Test(arguments: [
        ("peers many", 1, "not a whole number"),
        ("duration 5", 1, "lacks a unit"),
        ("duration 5y", 1, "unknown time unit"),
        ("\n\nat 1m explode", 3, "unknown action 'explode'"),
        ("at 1m adversary sneaky 5%", 1, "unknown adversary 'sneaky'"),
        ("nat 150%", 1, "more than 100%"),
        ("network latency 80ms..10ms", 1, "backwards"),
        ("at 1m heal now", 1, "unexpected 'now'"),
        ("frobnicate", 1, "unknown statement"),
    ])
    func rejectsWithLineAndReason(text: String, line: Int, fragment: String) {
        #expect {
            _ = try ScenarioParser.parse(text)
        } throws: { error in
            guard let e = error as? ScenarioError else { return false }
            return e.line == line && e.description.contains(fragment)
        }
    }

    @Test func peerSelectionResolves() {
        #expect(PeerSelection.all.resolve(total: 40) == 40)
        #expect(PeerSelection.fraction(0.1).resolve(total: 45) == 5)
        #expect(PeerSelection.count(100).resolve(total: 40) == 40)
    }
}

@Suite struct SimEngineTests {
    @Test func queueOrdersByTimeThenInsertion() {
        var q = EventQueue<Int>()
        var rng = SimRandom(seed: 3)
        var expected: [(UInt64, Int)] = []
        for i in 0..<2000 {
            let t = rng.next() % 50
            q.schedule(i, at: Instant(nanoseconds: t))
            expected.append((t, i))
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var got: [(UInt64, Int)] = []
        while let e = q.pop() { got.append((e.time.nanoseconds, e.payload)) }
        #expect(got.map(\.1) == expected.map(\.1))
    }

    @Test func randomStreamsAreReproducibleAndIndependent() {
        var a = SimRandom(seed: 42), b = SimRandom(seed: 42), c = SimRandom(seed: 43)
        let xa = (0..<8).map { _ in a.next() }, xb = (0..<8).map { _ in b.next() }, xc = (0..<8).map { _ in c.next() }
        #expect(xa == xb)
        #expect(xa != xc)
        var d1 = SimRandom(seed: 42).derived(1), d2 = SimRandom(seed: 42).derived(2)
        #expect(d1.next() != d2.next())
    }

    @Test func networkDeliversDropsAndRespectsPartitionsAndNAT() {
        var conditions = NetworkConditions()
        conditions.loss = 0
        var net = VirtualNetwork(conditions: conditions, rng: SimRandom(seed: 1))
        let a = net.addPeer(VirtualNetwork.address(ofPeer: 0))
        let b = net.addPeer(VirtualNetwork.address(ofPeer: 1), behindNAT: true)
        // Unsolicited datagram to a NATed peer is dropped…
        if case .success = net.transmit(100, from: a, to: net.addresses[b], now: .zero) { Issue.record("NAT let an unsolicited datagram in") }
        // …until b has sent to a.
        guard case let .success(arrival) = net.transmit(100, from: b, to: net.addresses[a], now: .zero) else {
            Issue.record("b → a dropped"); return
        }
        #expect(arrival >= Instant(nanoseconds: 10_000_000))
        if case .failure = net.transmit(100, from: a, to: net.addresses[b], now: .seconds(1)) { Issue.record("pinhole not honoured") }
        if case .success = net.transmit(100, from: a, to: net.addresses[b], now: .seconds(500)) { Issue.record("pinhole never expires") }
        net.group[b] = 1
        net.partitioned = true
        if case .success = net.transmit(100, from: b, to: net.addresses[a], now: .seconds(600)) { Issue.record("partition ignored") }
        #expect(net.drops[.nat] == 2 && net.drops[.partition] == 1)
    }
}
