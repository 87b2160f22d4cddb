import Testing
import VeectorCrypto
import VeectorGossip
import VeectorWire

@Suite("Gossip bounded memory")
struct FloodTests {
    @Test("under a flood of valid messages the seen cache, store and per-peer queues stay capped")
    func flood() throws {
        var c = GossipConfiguration()
        c.seenCapacity = 300
        c.storeCapacity = 50
        c.storeBytes = 20_000
        c.sendWindow = 4
        c.maxQueuedFrames = 40
        c.maxQueuedBytes = 8_000
        c.maxInboundFramesPerInterval = 500
        var rng = SeededGenerator(seed: 99)
        let victimKeys = try SigningKeyPair(seed: rng.bytes(32))
        let flooderKeys = try SigningKeyPair(seed: rng.bytes(32))
        let slowKeys = try (0..<3).map { _ in try SigningKeyPair(seed: rng.bytes(32)) }
        let flooder = GossipPeer(flooderKeys), slow = slowKeys.map { GossipPeer($0) }
        var node = GossipNode(keys: victimKeys, configuration: c, unixMillisAtZero: 1_700_000_000_000)
        var now = Instant.seconds(1)
        _ = node.handle(.command(.subscribe(announce)), now: now, rng: &rng)
        for p in [flooder] + slow {
            _ = node.handle(.linkUp(p), now: now, rng: &rng)
            _ = node.handle(.received(from: p, bytes: GossipFrame.subscribe([announce]).encoded()), now: now, rng: &rng)
        }
        var delivered = 0, disconnected = false, peakQueued = 0
        for i in 0..<1_500 {
            // The slow peers never report sendCompleted: their windows fill, then their queues.
            now = now.advanced(by: .milliseconds(1))
            let e = try GossipEnvelope.sign(flooderKeys, topic: announce, sequence: UInt64(i),
                                            timestamp: 1_700_000_000_000 + now.nanoseconds / 1_000_000,
                                            payload: .inline(Array(repeating: UInt8(i & 0xFF), count: 100) + [UInt8(i >> 8)]))
            for a in node.handle(.received(from: flooder, bytes: GossipFrame.message(e).encoded()), now: now, rng: &rng) {
                if case .deliver = a { delivered += 1 }
                if case .disconnect(flooder, _) = a { disconnected = true }
            }
            if i % 250 == 0 { _ = node.handle(.timer(.heartbeat), now: now, rng: &rng) }
            #expect(node.seenCount <= 300)
            #expect(node.storedCount <= 50)
            for p in slow {
                #expect(node.queuedFrames(for: p) <= 40)
                peakQueued = max(peakQueued, node.queuedFrames(for: p))
            }
            if disconnected { break }
        }
        print("flood: delivered \(delivered), seen \(node.seenCount), stored \(node.storedCount), peak queue \(peakQueued), queue drops \(node.stats.queueDrops), flooder disconnected \(disconnected)")
        #expect(delivered > 300, "the flood must overflow the seen cache for the test to mean anything")
        #expect(node.stats.queueDrops > 0, "the slow peers' queues must have overflowed")
        #expect(peakQueued > 0)
        #expect(disconnected, "over the inbound rate limit the flooder must be cut off")
    }
}
