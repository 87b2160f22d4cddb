import Testing
import VeectorCrypto
import VeectorGossip
import VeectorWire

/// One node driven directly, with a linked peer that relays envelopes written by `author`.
struct SingleNode {
    var rng = SeededGenerator(seed: 1)
    var node: GossipNode
    let relay: GossipPeer
    let author: SigningKeyPair
    var now = Instant.seconds(100)
    static let origin: UInt64 = 1_700_000_000_000

    init(configuration: GossipConfiguration = GossipConfiguration(), validator: @escaping GossipValidator = { _, _ in .accept }) {
        author = try! SigningKeyPair(seed: rng.bytes(32))
        relay = GossipPeer(try! SigningKeyPair(seed: rng.bytes(32)))
        node = GossipNode(keys: try! SigningKeyPair(seed: rng.bytes(32)), configuration: configuration,
                          unixMillisAtZero: Self.origin, validator: validator)
        _ = feed(.command(.subscribe(announce)))
        _ = feed(.linkUp(relay))
        _ = feed(.received(from: relay, bytes: GossipFrame.subscribe([announce]).encoded()))
    }

    /// Unix milliseconds at `now`.
    var wall: UInt64 { Self.origin + now.nanoseconds / 1_000_000 }

    mutating func feed(_ event: GossipEvent) -> [GossipAction] { node.handle(event, now: now, rng: &rng) }

    mutating func relay(_ e: GossipEnvelope) -> [GossipAction] {
        feed(.received(from: relay, bytes: GossipFrame.message(e).encoded()))
    }

    func envelope(sequence: UInt64, timestamp: UInt64) -> GossipEnvelope {
        try! GossipEnvelope.sign(author, topic: announce, sequence: sequence, timestamp: timestamp, payload: .inline([1, 2]))
    }
}

func delivered(_ actions: [GossipAction]) -> Int { actions.filter { if case .deliver = $0 { true } else { false } }.count }
func disconnected(_ actions: [GossipAction]) -> Bool { actions.contains { if case .disconnect = $0 { true } else { false } } }

@Suite("Gossip validation")
struct ValidationTests {
    @Test("a fresh message is delivered once; its replay is a duplicate")
    func replay() {
        var s = SingleNode()
        let e = s.envelope(sequence: 0, timestamp: s.wall)
        #expect(delivered(s.relay(e)) == 1)
        #expect(delivered(s.relay(e)) == 0)
        #expect(s.node.stats.duplicates == 1)
        #expect(s.node.score(of: s.relay) == 1)
    }

    @Test("messages outside the freshness window are dropped and cost a little score")
    func freshness() {
        var s = SingleNode()
        let old = s.envelope(sequence: 0, timestamp: s.wall - 601_000)
        let future = s.envelope(sequence: 1, timestamp: s.wall + 31_000)
        let edge = s.envelope(sequence: 2, timestamp: s.wall + 29_000)
        #expect(delivered(s.relay(old)) == 0)
        #expect(delivered(s.relay(future)) == 0)
        #expect(s.node.stats.rejections[.stale] == 2)
        #expect(s.node.score(of: s.relay) == -20)
        #expect(delivered(s.relay(edge)) == 1)
    }

    @Test("the application hook: reject drops and disconnects, ignore drops without blame")
    func applicationHook() {
        var s = SingleNode(validator: { e, _ in
            e.sequence == 1 ? .reject(reason: "fails the evaluation gate") : e.sequence == 2 ? .ignore : .accept
        })
        #expect(delivered(s.relay(s.envelope(sequence: 2, timestamp: s.wall))) == 0)
        #expect(s.node.score(of: s.relay) == 0)
        let actions = s.relay(s.envelope(sequence: 1, timestamp: s.wall))
        #expect(delivered(actions) == 0)
        #expect(disconnected(actions))
        #expect(s.node.isGraylisted(s.relay, now: s.now))
        #expect(s.node.stats.rejections[.applicationRejected] == 1)
    }

    @Test("oversized frames and payloads are refused")
    func sizes() throws {
        var c = GossipConfiguration()
        c.maxInlinePayload = 10
        c.invalidPenalty = 20
        var s = SingleNode(configuration: c)
        let big = try GossipEnvelope.sign(s.author, topic: announce, sequence: 0, timestamp: s.wall, payload: .inline(Array(repeating: 0, count: 11)))
        #expect(delivered(s.relay(big)) == 0)
        #expect(s.node.stats.rejections[.payloadTooLarge] == 1)
        _ = s.feed(.received(from: s.relay, bytes: Array(repeating: 0x64, count: GossipLimits.maxFrameBytes + 1)))
        #expect(s.node.stats.rejections[.malformed] == 1)
        let failed = s.feed(.command(.publish(announce, .inline(Array(repeating: 0, count: 11)))))
        #expect(failed == [.commandFailed(.publish(announce, .inline(Array(repeating: 0, count: 11))), .payloadTooLarge(bytes: 11, limit: 10))])
    }

    @Test("links beyond maxPeers, to ourselves or from the graylist are refused")
    func linkLimits() throws {
        var c = GossipConfiguration()
        c.maxPeers = 1
        var s = SingleNode(configuration: c)
        let other = GossipPeer(try SigningKeyPair(seed: Array(repeating: 5, count: 32)))
        #expect(s.feed(.linkUp(other)).contains(.disconnect(other, reason: .tooManyPeers)))
        #expect(s.feed(.linkUp(s.node.identity)).contains(.disconnect(s.node.identity, reason: .selfLink)))
        _ = s.feed(.received(from: s.relay, bytes: [0xFF]))   // garbage: -100, graylisted
        #expect(s.node.linkedPeers.isEmpty)
        #expect(s.feed(.linkUp(s.relay)).contains(.disconnect(s.relay, reason: .graylisted)))
        s.now = s.now.advanced(by: .seconds(601))
        _ = s.feed(.timer(.heartbeat))
        #expect(!s.node.isGraylisted(s.relay, now: s.now))
        #expect(!disconnected(s.feed(.linkUp(s.relay))))
    }
}
