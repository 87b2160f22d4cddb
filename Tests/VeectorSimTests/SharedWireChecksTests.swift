import Testing
import VeectorCrypto
import VeectorGossip
import VeectorWire
@testable import VeectorSim

/// The simulator's shared decode and signature memo answers exactly as the standard checks do —
/// forged and altered envelopes included — and a whole run is the same bit for bit with it.
@Suite struct SharedWireChecksTests {
    static func keys(_ byte: UInt8) -> SigningKeyPair { try! SigningKeyPair(seed: [UInt8](repeating: byte, count: 32)) }

    static func envelope(_ keys: SigningKeyPair, _ text: String) throws -> GossipEnvelope {
        try GossipEnvelope.sign(keys, topic: "t", sequence: 1, timestamp: 1_800_000_000_000, payload: .inline(Array(text.utf8)))
    }

    @Test func aRememberedSignatureNeverVouchesForOtherBytes() throws {
        let memo = SharedWireChecks()
        let author = Self.keys(1), attacker = Self.keys(2)
        let genuine = try Self.envelope(author, "hello")
        #expect(memo.verify(genuine.signature, message: genuine.signedBytes, publicKey: author.publicKey))
        #expect(memo.verify(genuine.signature, message: genuine.signedBytes, publicKey: author.publicKey), "remembered")
        #expect(memo.remembered.signatures == 1)
        // The genuine signature over altered bytes, or claimed by another key: verified afresh, false.
        var altered = genuine.signedBytes
        altered[altered.count - 1] ^= 1
        #expect(!memo.verify(genuine.signature, message: altered, publicKey: author.publicKey))
        #expect(!memo.verify(genuine.signature, message: genuine.signedBytes, publicKey: attacker.publicKey))
        // The attacker's own signature over the genuine body, naming the honest author: false.
        let forged = attacker.sign(genuine.signedBytes)
        #expect(!memo.verify(forged, message: genuine.signedBytes, publicKey: author.publicKey))
        var flipped = genuine.signature
        flipped[0] ^= 0x80
        #expect(!memo.verify(flipped, message: genuine.signedBytes, publicKey: author.publicKey))
        #expect(!memo.verify(Array(genuine.signature.prefix(63)), message: genuine.signedBytes, publicKey: author.publicKey))
        #expect(memo.remembered.signatures == 5, "each distinct input was checked on its own")
    }

    @Test func framesDecodeAsTheStandardDecoderDoes() throws {
        let memo = SharedWireChecks()
        let frame = GossipFrame.message(try Self.envelope(Self.keys(3), "relayed")).encoded()
        let first = try #require(memo.readFrame(frame, limit: 4096))
        #expect(first == (try GossipFrame(decoding: frame)))
        #expect(memo.readFrame(frame, limit: 4096) == first)
        #expect(memo.remembered.frames == 1)
        #expect(memo.readFrame(frame, limit: frame.count - 1) == nil, "over the limit, as the decoder says")
        var broken = frame
        broken.removeLast()
        #expect(memo.readFrame(broken, limit: 4096) == nil)
        #expect(memo.readFrame([0x64, 0x65], limit: 4096) == nil)
        let ihave = GossipFrame.ihave("t", [try Self.envelope(Self.keys(3), "x").id]).encoded()
        #expect(memo.readFrame(ihave, limit: 4096) == (try GossipFrame(decoding: ihave)))
        #expect(memo.remembered.frames == 2, "malformed frames are not remembered")
        let small = SharedWireChecks(capacity: 1)
        _ = small.readFrame(frame, limit: 4096)
        _ = small.readFrame(ihave, limit: 4096)
        #expect(small.readFrame(frame, limit: 4096) == first, "found in the older generation")
        #expect(small.remembered.frames == 2, "at most two generations of one")
    }

    @Test func aRunWithSharedChecksIsTheRunWithoutThem() throws {
        let s = try ScenarioParser.parse("""
        peers 30
        duration 120s
        seed 27
        at 0s   join all via 0 over 10s
        at 20s  adversary gossip-forge 2 rate 2
        at 20s  adversary gossip-replay 2 rate 2
        at 20s  adversary gossip-garbage 1 rate 2
        at 30s  gossip 10
        at 60s  gossip 10
        """, name: "shared-checks")
        let shared = GossipSimulation(scenario: s, sharingChecks: true).run()
        let standard = GossipSimulation(scenario: s, sharingChecks: false).run()
        #expect(shared.violations.isEmpty && standard.violations.isEmpty, "\(shared.violations) \(standard.violations)")
        #expect(shared.adversaries.honestRejections > 0, "forged and replayed frames were rejected: \(shared.summary)")
        #expect(shared.traceHash == standard.traceHash)
        #expect(shared.events == standard.events)
        #expect(shared.deliveries == standard.deliveries)
        #expect(shared.adversaries.honestRejections == standard.adversaries.honestRejections)
    }
}
