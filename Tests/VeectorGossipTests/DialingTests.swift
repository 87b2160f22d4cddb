import Testing
import VeectorCrypto
import VeectorGossip
import VeectorWire

@Suite("Gossip dialling")
struct DialingTests {
    static func connects(_ actions: [GossipAction]) -> [GossipPeer] {
        actions.compactMap { if case let .connect(p) = $0 { p } else { nil } }
    }

    @Test("a candidate that refused is dialled again only after its back-off; a lost link is redialled")
    func refusedThenLost() throws {
        var c = GossipConfiguration()
        c.targetPeers = 2
        var rng = SeededGenerator(seed: 1)
        let keys = try (0..<2).map { _ in try SigningKeyPair(seed: rng.bytes(32)) }
        var node = GossipNode(keys: keys[0], configuration: c, unixMillisAtZero: 1_700_000_000_000)
        let a = GossipPeer(keys[1])
        func at(_ s: Int64) -> Instant { Instant.zero.advanced(by: .seconds(s)) }
        _ = node.handle(.command(.addCandidates([a])), now: at(0), rng: &rng)
        #expect(Self.connects(node.handle(.timer(.heartbeat), now: at(1), rng: &rng)) == [a])
        #expect(node.dialsInFlight == 1)
        // `a` refuses: the link closes before it sent anything.
        _ = node.handle(.linkUp(a), now: at(1), rng: &rng)
        _ = node.handle(.linkDown(a), now: at(1), rng: &rng)
        #expect(node.isBackingOff(a, now: at(2)))
        #expect(Self.connects(node.handle(.timer(.heartbeat), now: at(2), rng: &rng)).isEmpty)
        #expect(Self.connects(node.handle(.timer(.heartbeat), now: at(3), rng: &rng)) == [a])
        // This time `a` accepts (a frame arrives), then the link breaks: redialled after the back-off.
        _ = node.handle(.linkUp(a), now: at(3), rng: &rng)
        _ = node.handle(.received(from: a, bytes: GossipFrame.subscribe([announce]).encoded()), now: at(3), rng: &rng)
        #expect(!node.isBackingOff(a, now: at(3)))
        _ = node.handle(.linkDown(a), now: at(4), rng: &rng)
        #expect(node.isBackingOff(a, now: at(5)))
        #expect(Self.connects(node.handle(.timer(.heartbeat), now: at(5), rng: &rng)).isEmpty)
        #expect(Self.connects(node.handle(.timer(.heartbeat), now: at(6), rng: &rng)) == [a])
    }

    @Test("a dial that never gets linkUp times out and backs off")
    func unansweredDialTimesOut() throws {
        var c = GossipConfiguration()
        c.targetPeers = 1
        var rng = SeededGenerator(seed: 2)
        let keys = try (0..<2).map { _ in try SigningKeyPair(seed: rng.bytes(32)) }
        var node = GossipNode(keys: keys[0], configuration: c, unixMillisAtZero: 1_700_000_000_000)
        let a = GossipPeer(keys[1])
        func at(_ s: Int64) -> Instant { Instant.zero.advanced(by: .seconds(s)) }
        _ = node.handle(.command(.addCandidates([a])), now: at(0), rng: &rng)
        #expect(Self.connects(node.handle(.timer(.heartbeat), now: at(1), rng: &rng)) == [a])
        for s in 2...10 { #expect(Self.connects(node.handle(.timer(.heartbeat), now: at(Int64(s)), rng: &rng)).isEmpty) }
        _ = node.handle(.timer(.heartbeat), now: at(11), rng: &rng)   // 10 s without linkUp: failed
        #expect(node.dialsInFlight == 0)
        #expect(node.isBackingOff(a, now: at(12)))
        #expect(Self.connects(node.handle(.timer(.heartbeat), now: at(13), rng: &rng)) == [a])
    }
}
