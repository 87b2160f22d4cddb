import Testing
import VeectorCrypto
import VeectorSession
import VeectorTestSupport
import VeectorWire

/// A seeded random-input harness against the handshake and the framing: ≥ 100,000 inputs, and
/// for each one the core must not crash, must end in a defined state, and must hold no more
/// input than one frame plus the largest message it accepts.
@Suite("Session random-input harness")
struct SessionFuzzTests {
    static let maxMessage = 64 * 1024

    static func config(_ role: SessionRole) -> SessionConfiguration {
        var c = role == .initiator ? Keys.initiator() : Keys.responder()
        c.maxMessageSize = maxMessage
        return c
    }

    /// One mutation of `base`: random bytes, bit flips, cuts, insertions, length-prefix games.
    static func mutate(_ base: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = base
        switch rng.next() % 7 {
        case 0: return rng.bytes(Int(rng.next() % 300))
        case 1:
            for _ in 0..<(1 + rng.next() % 4) where !b.isEmpty { b[Int(rng.next() % UInt64(b.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1) }
        case 2: b = Array(b.prefix(Int(rng.next() % UInt64(b.count + 1))))
        case 3:
            let at = Int(rng.next() % UInt64(b.count + 1))
            b.insert(contentsOf: rng.bytes(Int(rng.next() % 40)), at: at)
        case 4:
            let n = Int(rng.next() % 70_000) & 0xffff
            b = [UInt8(n >> 8), UInt8(n & 0xff)] + rng.bytes(Int(rng.next() % 200))
        case 5: b += rng.bytes(Int(rng.next() % 100))
        default:
            let at = Int(rng.next() % UInt64(b.count + 1))
            b.removeSubrange(at..<min(b.count, at + Int(rng.next() % 50)))
        }
        return b
    }

    /// Feeds `input` in random chunks and checks the invariants.
    static func feed(_ side: inout SessionCore, _ input: [UInt8], _ rng: inout SplitMix64) {
        var i = 0
        while i < input.count && !side.isClosed {
            let j = min(input.count, i + 1 + Int(rng.next() % 700))
            let actions = side.handle(.received(Array(input[i..<j])), now: .seconds(1), rng: &rng)
            for case let .deliver(m) in actions { #expect(m.count <= maxMessage) }
            #expect(side.bufferedInputBytes <= 2 + 65535 + maxMessage + 700)
            i = j
        }
        _ = side.handle(.endOfStream, now: .seconds(2), rng: &rng)
        #expect(side.isClosed)
        #expect(side.bufferedInputBytes == 0)
    }

    @Test func handshakeAndFramingSurviveRandomInput() {
        var rng = SplitMix64(seed: 0x5EED)
        // Real traffic to mutate: A's and B's sides of a session with a few messages.
        var link = Link(Self.config(.initiator), Self.config(.responder), seed: 3)
        link.connect()
        let handshakeFromA = link.a.transcript, handshakeFromB = link.b.transcript
        link.a.handle(.send(rng.bytes(3000)))
        link.a.handle(.rekey)
        link.a.handle(.send(rng.bytes(70)))
        link.pump()
        let transportFromA = Array(link.a.transcript[handshakeFromA.count...])

        var freshResponder = SessionCore(configuration: Self.config(.responder))
        _ = freshResponder.handle(.start, now: .zero, rng: &rng)
        var freshInitiator = SessionCore(configuration: Self.config(.initiator))
        let firstMessage = freshInitiator.handle(.start, now: .zero, rng: &rng)
        #expect(firstMessage.contains { if case .write = $0 { true } else { false } })
        let established = link.b.core

        var inputs = 0
        for _ in 0..<40_000 {
            var r = freshResponder
            Self.feed(&r, Self.mutate(handshakeFromA, &rng), &rng)
            inputs += 1
        }
        for _ in 0..<20_000 {
            var i = freshInitiator
            Self.feed(&i, Self.mutate(handshakeFromB, &rng), &rng)
            inputs += 1
        }
        for _ in 0..<45_000 {
            var e = established
            Self.feed(&e, Self.mutate(transportFromA, &rng), &rng)
            inputs += 1
        }
        #expect(inputs >= 100_000)
    }
}
