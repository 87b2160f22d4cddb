import Testing
import VeectorCrypto
import VeectorSession
import VeectorTestSupport
import VeectorWire

/// Every byte of a recorded session, changed: the receiver closes with an error and never
/// delivers a message that differs from what was sent.
@Suite("Session tampering")
struct SessionTamperTests {
    /// Records what A sends to B in a real session: handshake, three messages (one fragmented),
    /// a rekey, and a close. B's side is deterministic (seeded), so a fresh B can replay it.
    static func record() -> (transcript: [UInt8], responder: SessionConfiguration, messages: [[UInt8]]) {
        var ca = Keys.initiator()
        ca.maxFrameBytes = 700
        let cb = Keys.responder()
        var link = Link(ca, cb, seed: 5)
        link.connect()
        var rng = SplitMix64(seed: 11)
        let messages = [rng.bytes(100), rng.bytes(1500), rng.bytes(10)]
        link.a.handle(.send(messages[0]))
        link.a.handle(.send(messages[1]))
        link.a.handle(.rekey)
        link.a.handle(.send(messages[2]))
        link.a.handle(.close(reason: "bye"))
        link.pump()
        return (link.a.transcript, cb, messages)
    }

    /// Offsets of the 2-byte length prefixes in a transcript.
    static func lengthOffsets(_ t: [UInt8]) -> Set<Int> {
        var out = Set<Int>(), i = 0
        while i + 2 <= t.count {
            out.insert(i)
            out.insert(i + 1)
            i += 2 + (Int(t[i]) << 8 | Int(t[i + 1]))
        }
        return out
    }

    static func replay(_ bytes: [UInt8], _ cb: SessionConfiguration) -> Side {
        var b = Side(cb, seed: 6)
        b.handle(.start)
        b.handle(.received(bytes))
        b.handle(.endOfStream)
        return b
    }

    @Test func theUntouchedRecordingReplays() {
        let (t, cb, messages) = Self.record()
        let b = Self.replay(t, cb)
        #expect(b.delivered == messages)
        #expect(b.closed == .remote(code: 0, reason: "bye"))
    }

    @Test func anyChangedByteClosesTheSession() {
        let (t, cb, messages) = Self.record()
        let lengths = Self.lengthOffsets(t)
        var authFailures = 0
        for i in t.indices {
            var tampered = t
            tampered[i] ^= UInt8(1) << UInt8(i % 8)
            let b = Self.replay(tampered, cb)
            guard let reason = b.closed else { Issue.record("byte \(i): the session did not close"); continue }
            if case .remote = reason { Issue.record("byte \(i): accepted up to the CLOSE frame") }
            #expect(b.delivered.count <= messages.count)
            #expect(Array(messages.prefix(b.delivered.count)) == b.delivered, "byte \(i): a changed message was delivered")
            if lengths.contains(i) {
                // A changed length misaligns the frames: refused as framing or authentication failure.
                #expect(reason != .local(""))
            } else {
                #expect(reason == .authenticationFailed, "byte \(i): closed with \(reason)")
                authFailures += 1
            }
        }
        #expect(authFailures == t.count - lengths.count)
    }
}
