import Foundation
import NIOCore
import NIOPosix
import Testing
import VeectorCrypto
import VeectorSession
@testable import VeectorNet

/// Encrypted sessions on real loopback TCP sockets through `SessionEndpoint` and `SessionChannelHandler`.
@Suite("Session driver over TCP")
struct SessionDriverTests {
    @Test("two endpoints complete the handshake and each proves its identity to the other")
    func handshake() async throws {
        let server = try await SessionServer()
        let clientIdentity = SigningKeyPair.generate()
        let client = try await sessionClient(identity: clientIdentity)
            .connect(to: server.address, expecting: server.identity.publicKey, timeout: .seconds(5))
        let accepted = try await server.next()

        #expect(client.peer.publicKey == server.identity.publicKey)
        #expect(accepted.peer.publicKey == clientIdentity.publicKey)
        #expect(client.peer.handshakeHash == accepted.peer.handshakeHash)
        #expect(client.peer.handshakeHash.count == 64)
        #expect(client.remoteAddress?.port == server.port)

        try await client.send(Array("hello over tcp".utf8))
        var serverMessages = accepted.messages.makeAsyncIterator()
        #expect(try await serverMessages.next() == Array("hello over tcp".utf8))
        try await accepted.send(Array("hello back".utf8))
        var clientMessages = client.messages.makeAsyncIterator()
        #expect(try await clientMessages.next() == Array("hello back".utf8))

        // A deliberate close ends the peer's stream normally, and says so on both sides.
        #expect(await client.close(reason: "bye") == .local("bye"))
        #expect(try await serverMessages.next() == nil)
        #expect(await accepted.closeReason() == .remote(code: 0, reason: "bye"))
        #expect(server.listener.statistics.established == 1)
        await server.stop()
    }

    @Test("64 MiB in messages of mixed sizes arrive whole and in order")
    func bulkTransfer() async throws {
        let server = try await SessionServer()
        let client = try await sessionClient().connect(to: server.address, expecting: server.identity.publicKey)
        let accepted = try await server.next()
        // Sizes around the frame boundaries (65,519-byte plaintexts; 65,514 bytes of data in a first fragment).
        let sizes = [0, 1, 17, 4096, 65_513, 65_514, 65_515, 65_536, 200_003, 1 << 20, (3 << 20) + 7]
        var plan: [Int] = []
        var total = 0
        while total < 64 << 20 {
            let size = sizes[plan.count % sizes.count]
            plan.append(size)
            total += size
        }
        let content = MessageContent()
        let expected = plan
        async let received: Int = {
            var count = 0
            for try await message in accepted.messages {
                #expect(message.count == expected[count], "message \(count) has the wrong size")
                #expect(message == content.message(count, size: expected[count]), "message \(count) differs")
                count += 1
                if count == expected.count { break }
            }
            return count
        }()
        for (i, size) in plan.enumerated() { try await client.send(content.message(i, size: size)) }
        #expect(try await received == plan.count)

        let stats = await client.statistics()
        #expect(stats.messagesOut == plan.count)
        #expect(stats.wireBytesOut > total)
        // The send side never held more than the core's limit plus one message (and its framing).
        #expect(stats.maxUnflushedBytes <= SessionConfiguration(role: .initiator, identity: .generate()).sendBufferLimit + (4 << 20))
        await client.close()
        await server.stop()
    }

    @Test("a peer other than the expected one is refused")
    func peerKeyMismatch() async throws {
        let server = try await SessionServer()
        let someoneElse = SigningKeyPair.generate().publicKey
        await #expect {
            try await sessionClient().connect(to: server.address, expecting: someoneElse, timeout: .seconds(5))
        } throws: { error in
            guard case let .handshakeFailed(_, reason) = error as? SessionDriverError,
                  case let .unexpectedPeer(expected, got) = reason else { return false }
            return expected == someoneElse && got == server.identity.publicKey
        }
        // The listener saw the initiator walk away before message 3.
        #expect(await eventually { server.listener.statistics.failedHandshakes == 1 })
        #expect(server.listener.statistics.established == 0)
        await server.stop()
    }

    @Test("a raw client sending garbage is closed with a protocol error and the listener keeps serving")
    func garbageClient() async throws {
        let server = try await SessionServer()
        let first = try await sessionClient().connect(to: server.address)
        let firstAccepted = try await server.next()

        let raw = try await rawConnection(to: server.address)
        try await raw.channel.writeAndFlush(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: example\r\n\r\n"))
        #expect(try await readUntilClosed(raw).isEmpty)
        #expect(await eventually { server.listener.statistics.failedHandshakes == 1 })
        guard case .protocolViolation? = server.listener.statistics.lastFailure else {
            Issue.record("expected a protocol violation, got \(String(describing: server.listener.statistics.lastFailure))")
            return
        }

        // The session opened before still works, and a new one opens.
        try await first.send([1, 2, 3])
        var iterator = firstAccepted.messages.makeAsyncIterator()
        #expect(try await iterator.next() == [1, 2, 3])
        let second = try await sessionClient().connect(to: server.address, expecting: server.identity.publicKey)
        let secondAccepted = try await server.next()
        try await secondAccepted.send([9])
        var back = second.messages.makeAsyncIterator()
        #expect(try await back.next() == [9])
        #expect(server.listener.statistics.established == 2)
        await first.close()
        await second.close()
        await server.stop()
    }

    @Test("dropping one side mid-transfer ends the other's messages with a typed error")
    func killMidTransfer() async throws {
        let server = try await SessionServer()
        let client = try await sessionClient().connect(to: server.address)
        let accepted = try await server.next()
        let message = [UInt8](repeating: 0x5A, count: 1 << 20)

        async let sending: SessionDriverError? = {
            do {
                for _ in 0..<1000 { try await client.send(message) }
                return nil
            } catch { return error as? SessionDriverError }
        }()
        var taken = 0
        for try await _ in accepted.messages {
            taken += 1
            if taken == 3 { break }
        }
        await accepted.abort()  // the server "crashes": no CLOSE frame

        do {
            for try await _ in client.messages {}
            Issue.record("the client's messages ended normally after the peer vanished")
        } catch {
            guard case .closed(.endOfStream) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
        let sendError = await sending
        guard case .closed(.endOfStream)? = sendError else {
            Issue.record("the blocked sender should fail with the close reason, got \(String(describing: sendError))")
            return
        }
        await server.stop()
    }

    @Test("a message larger than the peer accepts is refused and the session goes on")
    func messageTooLarge() async throws {
        let server = try await SessionServer(configure: { $0.maxMessageSize = 1000 })
        let client = try await sessionClient().connect(to: server.address)
        let accepted = try await server.next()
        await #expect(throws: SessionDriverError.messageTooLarge(size: 1001, limit: 1000)) {
            try await client.send([UInt8](repeating: 1, count: 1001))
        }
        try await client.send([UInt8](repeating: 2, count: 1000))
        var iterator = accepted.messages.makeAsyncIterator()
        #expect(try await iterator.next() == [UInt8](repeating: 2, count: 1000))
        await client.close()
        await server.stop()
    }

    @Test("connecting where nobody listens fails with a connect error")
    func nobodyListening() async throws {
        let server = try await SessionServer()
        let address = server.address
        await server.stop()
        await #expect {
            try await sessionClient().connect(to: address, timeout: .seconds(5))
        } throws: { error in
            guard case .connectFailed? = error as? SessionDriverError else { return false }
            return true
        }
    }
}
