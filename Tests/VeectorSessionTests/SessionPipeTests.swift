import Testing
import VeectorCrypto
import VeectorSession
import VeectorTestSupport
import VeectorWire

/// Two real session cores talking through an in-memory pipe.
@Suite("Session over an in-memory pipe")
struct SessionPipeTests {
    @Test func handshakeProvesBothIdentities() throws {
        var ca = Keys.initiator(expecting: Keys.bob.publicKey)
        ca.certificate = PeerCertificateTests.certificate(for: Keys.alice, name: "alice")
        var cb = Keys.responder(expecting: Keys.alice.publicKey)
        cb.certificateTime = PeerCertificateTests.now
        var link = Link(ca, cb, chunk: 7)
        link.connect()
        let seenByA = try #require(link.a.established)
        let seenByB = try #require(link.b.established)
        #expect(seenByA.publicKey == Keys.bob.publicKey)
        #expect(seenByB.publicKey == Keys.alice.publicKey)
        #expect(seenByA.nodeID == NodeID.derived(fromPublicKey: Keys.bob.publicKey, externalAddress: nil))
        #expect(seenByB.certificate == ca.certificate)
        #expect(seenByA.certificate == nil)
        #expect(seenByA.handshakeHash == seenByB.handshakeHash)
        #expect(seenByA.handshakeHash.count == 64)
        #expect(link.a.timers[.handshake] == nil && link.a.timers[.idle] != nil)
    }

    @Test func tenMegabytesBothWaysWithFragmentsAndRekeys() throws {
        var ca = Keys.initiator(), cb = Keys.responder()
        ca.rekeyInterval = 50
        cb.rekeyInterval = 64
        ca.maxFrameBytes = 4096
        var link = Link(ca, cb, chunk: 3001, seed: 42)
        link.connect()
        #expect(link.a.core.isEstablished && link.b.core.isEstablished)
        var rng = SplitMix64(seed: 99)
        var sentByA: [[UInt8]] = [], sentByB: [[UInt8]] = []
        var total = 0
        var round = 0
        while total < 10_000_000 {
            let size = [0, 1, 100, 4079, 4080, 65_000, 200_000, Int(rng.next() % 600_000)][round % 8]
            let m = rng.bytes(size)
            if round % 3 == 2 {
                link.b.handle(.send(m))
                sentByB.append(m)
            } else {
                link.a.handle(.send(m))
                sentByA.append(m)
            }
            if round % 17 == 5 { link.a.handle(.rekey) }
            total += size
            round += 1
            link.pump()
        }
        #expect(link.b.delivered == sentByA)
        #expect(link.a.delivered == sentByB)
        #expect(link.a.closed == nil && link.b.closed == nil)
        #expect(link.a.core.bufferedInputBytes == 0 && link.b.core.bufferedInputBytes == 0)

        link.a.handle(.close(reason: "done"))
        link.pump()
        #expect(link.a.closed == .local("done"))
        #expect(link.b.closed == .remote(code: 0, reason: "done"))
        #expect(link.b.timers.isEmpty && link.a.timers.isEmpty)
        // A closed session ignores everything.
        link.a.handle(.send([1, 2, 3]))
        #expect(link.a.outbox.isEmpty)
    }

    @Test func messagesSentBeforeTheHandshakeAreQueued() throws {
        var link = Link(Keys.initiator(), Keys.responder())
        link.a.handle(.send(Array("early".utf8)))
        link.connect()
        #expect(link.b.delivered == [Array("early".utf8)])
    }

    @Test func unexpectedPeerIsRefusedByTheInitiatorBeforeItRevealsItself() throws {
        var link = Link(Keys.initiator(expecting: Keys.mallory.publicKey), Keys.responder())
        link.connect()
        #expect(link.a.closed == .unexpectedPeer(expected: Keys.mallory.publicKey, got: Keys.bob.publicKey))
        #expect(link.a.established == nil && link.b.established == nil)
        // The initiator never sent message 3, so the responder never learnt who dialled.
        #expect(link.b.closed == nil)
        link.b.handle(.timerFired(.handshake))
        #expect(link.b.closed == .handshakeTimeout)
    }

    @Test func unexpectedPeerIsRefusedByTheResponder() throws {
        var link = Link(Keys.initiator(Keys.mallory), Keys.responder(expecting: Keys.alice.publicKey))
        link.connect()
        #expect(link.b.closed == .unexpectedPeer(expected: Keys.alice.publicKey, got: Keys.mallory.publicKey))
        #expect(link.b.established == nil)
    }

    @Test func aNodeIDThatDoesNotDeriveFromTheKeyIsRefused() throws {
        var lying = Keys.initiator()
        lying.nodeID = NodeID.derived(fromPublicKey: Keys.mallory.publicKey, externalAddress: nil)
        var link = Link(lying, Keys.responder())
        link.connect()
        guard case .identityMismatch = link.b.closed else { Issue.record("got \(String(describing: link.b.closed))"); return }
        // With a BEP 42 prefix for a public address the ID still derives from the key.
        var honest = Keys.initiator()
        honest.nodeID = NodeID.derived(fromPublicKey: Keys.alice.publicKey, externalAddress: IPv4Address(124, 31, 75, 21))
        var ok = Link(honest, Keys.responder())
        ok.connect()
        #expect(ok.b.established?.nodeID == honest.nodeID)
    }

    @Test func differentProloguesDoNotConnect() throws {
        var cb = Keys.responder()
        cb.prologue = Array("another-protocol".utf8)
        var link = Link(Keys.initiator(), cb)
        link.connect()
        #expect(link.a.closed == .authenticationFailed)
    }

    @Test func timeoutsAndKeepalives() throws {
        var ca = Keys.initiator(), cb = Keys.responder()
        ca.idleTimeout = .seconds(60)
        cb.idleTimeout = .seconds(60)
        ca.keepaliveInterval = .seconds(20)
        cb.keepaliveInterval = nil
        var link = Link(ca, cb)
        link.connect(now: .seconds(1))
        // The keepalive timer fires: A sends a keepalive, B hears it and stays alive.
        link.a.handle(.timerFired(.keepalive), now: .seconds(21))
        #expect(!link.a.outbox.isEmpty)
        link.pump(now: .seconds(21))
        #expect(link.b.delivered.isEmpty)
        link.b.handle(.timerFired(.idle), now: .seconds(61))
        #expect(link.b.closed == nil)
        #expect(link.b.timers[.idle] == .seconds(20))
        // Silence past the idle timeout: B closes and tells A why.
        link.b.handle(.timerFired(.idle), now: .seconds(81))
        #expect(link.b.closed == .idleTimeout)
        link.pump(now: .seconds(81))
        guard case .remote(code: 3, _) = link.a.closed else { Issue.record("got \(String(describing: link.a.closed))"); return }
    }

    @Test func backPressureBoundsTheOutgoingBacklog() throws {
        var ca = Keys.initiator()
        ca.sendBufferLimit = 100_000
        var link = Link(ca, Keys.responder())
        link.connect()
        var accepted = 0
        for _ in 0..<100 {
            link.a.handle(.send([UInt8](repeating: 7, count: 30_000)), autoFlush: false)
            if link.a.wouldBlock > 0 { break }
            accepted += 1
        }
        #expect(link.a.wouldBlock == 1)
        #expect(accepted == 4)  // 0, 30k, 60k, 90k unflushed bytes accepted; 120k+ is over the limit
        #expect(link.a.outbox.count < 100_000 + 30_000 + 1_000)
        link.a.handle(.flushed(link.a.outbox.count))
        #expect(link.a.writable == 1)
        link.pump()
        #expect(link.b.delivered.count == accepted)
    }

    @Test func messageSizeLimitsAreEnforcedBothWays() throws {
        var cb = Keys.responder()
        cb.maxMessageSize = 1000
        var link = Link(Keys.initiator(), cb)
        link.connect()
        #expect(link.a.established?.maxMessageSize == 1000)
        link.a.handle(.send([UInt8](repeating: 1, count: 1001)))
        #expect(link.a.rejected.count == 1 && link.a.rejected[0] == (1001, 1000))
        link.a.handle(.send([UInt8](repeating: 1, count: 1000)))
        link.pump()
        #expect(link.b.delivered.count == 1)
        #expect(link.a.closed == nil)
    }

    @Test func endOfStreamMidFrameIsReported() throws {
        var link = Link(Keys.initiator(), Keys.responder())
        link.connect()
        link.a.handle(.send([UInt8](repeating: 9, count: 500)))
        let bytes = link.a.outbox
        link.a.outbox = []
        link.b.handle(.received(Array(bytes.prefix(100))))
        link.b.handle(.endOfStream)
        #expect(link.b.closed == .endOfStream(midFrame: true))
    }
}
