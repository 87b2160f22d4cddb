import Testing
import VeectorCrypto

@Suite("Secret stream (XChaCha20-Poly1305)")
struct SecretStreamTests {
    static func makeStream(key: SecretKey, count: Int) -> (header: [UInt8], messages: [[UInt8]], plain: [[UInt8]]) {
        var pusher = SecretStreamPusher(key: key)
        var out: [[UInt8]] = []
        var plain: [[UInt8]] = []
        for i in 0..<count {
            let message = SecureRandom.bytes(i * 10)
            plain.append(message)
            out.append(pusher.push(message, final: i == count - 1))
        }
        let finished = pusher.isFinished
        #expect(finished)
        return (pusher.header, out, plain)
    }

    @Test func roundTrip() throws {
        let key = SecretKey.random()
        let stream = Self.makeStream(key: key, count: 5)
        var puller = try SecretStreamPuller(key: key, header: stream.header)
        for (i, message) in stream.messages.enumerated() {
            let (plain, isFinal) = try puller.pull(message)
            #expect(plain == stream.plain[i])
            #expect(isFinal == (i == 4))
        }
        try puller.finish()
    }

    @Test func truncationIsDetected() throws {
        let key = SecretKey.random()
        let stream = Self.makeStream(key: key, count: 4)
        var puller = try SecretStreamPuller(key: key, header: stream.header)
        for message in stream.messages.dropLast() { _ = try puller.pull(message) }
        #expect(throws: CryptoError.streamTruncated) { try puller.finish() }
    }

    @Test func reorderIsDetected() throws {
        let key = SecretKey.random()
        let stream = Self.makeStream(key: key, count: 4)
        var puller = try SecretStreamPuller(key: key, header: stream.header)
        _ = try puller.pull(stream.messages[0])
        #expect(throws: CryptoError.self) { try puller.pull(stream.messages[2]) }
    }

    @Test func duplicateAndForeignMessagesAreDetected() throws {
        let key = SecretKey.random()
        let stream = Self.makeStream(key: key, count: 3)
        var puller = try SecretStreamPuller(key: key, header: stream.header)
        _ = try puller.pull(stream.messages[0])
        #expect(throws: CryptoError.self) { try puller.pull(stream.messages[0]) }

        let other = Self.makeStream(key: key, count: 3)
        var puller2 = try SecretStreamPuller(key: key, header: stream.header)
        #expect(throws: CryptoError.self) { try puller2.pull(other.messages[0]) }
    }

    @Test func tamperAndWrongKeyAreDetected() throws {
        let key = SecretKey.random()
        let stream = Self.makeStream(key: key, count: 2)
        for position in stream.messages[1].indices {
            var puller = try SecretStreamPuller(key: key, header: stream.header)
            _ = try puller.pull(stream.messages[0])
            var bad = stream.messages[1]
            bad[position] ^= 0x80
            #expect(throws: CryptoError.self) { try puller.pull(bad) }
        }
        var wrong = try SecretStreamPuller(key: .random(), header: stream.header)
        #expect(throws: CryptoError.self) { try wrong.pull(stream.messages[0]) }
    }

    @Test func dataAfterFinalIsRejected() throws {
        let key = SecretKey.random()
        let stream = Self.makeStream(key: key, count: 1)
        var puller = try SecretStreamPuller(key: key, header: stream.header)
        let first = try puller.pull(stream.messages[0])
        #expect(first.isFinal)
        #expect(throws: CryptoError.self) { try puller.pull(stream.messages[0]) }
        #expect(throws: CryptoError.truncated(needed: 17, got: 3)) {
            var p = try SecretStreamPuller(key: key, header: stream.header)
            _ = try p.pull([1, 2, 3])
        }
    }
}
