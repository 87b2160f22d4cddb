import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import VeectorCrypto
import VeectorSession
@testable import VeectorNet

/// Back-pressure, timeouts and the half-open limit of sessions on real loopback TCP sockets.
@Suite("Session driver flow control and timeouts")
struct SessionFlowControlTests {
    @Test("a slow reader makes a fast sender wait, with every buffer bounded")
    func slowReaderBlocksSender() async throws {
        var options = SessionDriverOptions()
        options.receiveBufferLimit = 1 << 20
        let server = try await SessionServer(options: options)
        let sendLimit = 1 << 20
        let client = try await sessionClient(configure: { $0.sendBufferLimit = sendLimit })
            .connect(to: server.address, expecting: server.identity.publicKey)
        let accepted = try await server.next()

        let messageBytes = 256 << 10
        let count = 192  // 48 MiB: far more than the socket buffers, the send limit and the receive limit hold
        let content = MessageContent()
        let sent = NIOLockedValueBox(0)
        async let sender: Void = {
            for i in 0..<count {
                try await client.send(content.message(i, size: messageBytes))
                sent.withLockedValue { $0 += 1 }
            }
        }()

        // Nobody reads: the server stops reading, TCP fills up, the client's sends queue behind `.wouldBlock`.
        let stalled = await eventually {
            let c = await client.statistics(), s = await accepted.statistics()
            return s.readPauses > 0 && c.queuedSends > 0 && (c.wouldBlockCount > 0 || c.unwritableCount > 0)
        }
        #expect(stalled, "the sender never had to wait")
        #expect(sent.withLockedValue { $0 } < count, "every message was taken although nobody read")

        let clientStats = await client.statistics(), serverStats = await accepted.statistics()
        let frameOverhead = (messageBytes / 65_000 + 1) * 32
        #expect(clientStats.maxUnflushedBytes <= sendLimit + messageBytes + frameOverhead)
        #expect(serverStats.maxWaitingMessageBytes <= options.receiveBufferLimit + 4 * options.maxReadBytes + messageBytes)
        #expect(serverStats.maxCoreInputBytes <= 2 + 65_535 + messageBytes)

        // Now read everything: the sender finishes and nothing was lost.
        var received = 0
        for try await message in accepted.messages {
            #expect(message == content.message(received, size: messageBytes), "message \(received) differs")
            received += 1
            if received == count { break }
        }
        try await sender
        #expect(received == count)
        let after = await accepted.statistics()
        #expect(after.maxWaitingMessageBytes <= options.receiveBufferLimit + 4 * options.maxReadBytes + messageBytes)
        await client.close()
        await server.stop()
    }

    @Test("the idle timeout closes a session whose peer stays silent")
    func idleTimeout() async throws {
        let server = try await SessionServer(configure: { $0.idleTimeout = .milliseconds(300) })
        // The client never speaks: no keepalives.
        let client = try await sessionClient(configure: { $0.keepaliveInterval = nil; $0.idleTimeout = .seconds(60) })
            .connect(to: server.address)
        let accepted = try await server.next()
        #expect(await accepted.closeReason() == .idleTimeout)
        do {
            for try await _ in client.messages {}
            Issue.record("the client's stream ended normally")
        } catch {
            guard case let .closed(.remote(code, _)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(code == 3)  // idle timeout, Spec/wire.md
        }
        await server.stop()
    }

    @Test("a connection that never starts the handshake is closed after the handshake timeout")
    func handshakeTimeout() async throws {
        let server = try await SessionServer(configure: { $0.handshakeTimeout = .milliseconds(300) })
        let raw = try await rawConnection(to: server.address)
        #expect(try await readUntilClosed(raw).isEmpty)
        #expect(await eventually { server.listener.statistics.lastFailure == .handshakeTimeout })
        await server.stop()
    }

    @Test("connections beyond the half-open limit are closed on arrival; the others go on")
    func halfOpenLimit() async throws {
        var options = SessionDriverOptions()
        options.maxHalfOpenHandshakes = 2
        let server = try await SessionServer(options: options)
        let silent1 = try await rawConnection(to: server.address)
        let silent2 = try await rawConnection(to: server.address)
        #expect(await eventually { server.listener.statistics.halfOpen == 2 })
        let third = try await rawConnection(to: server.address)
        #expect(try await readUntilClosed(third).isEmpty)
        #expect(server.listener.statistics.refusedOverLimit == 1)

        // Once the silent ones go away, sessions open again.
        try await silent1.channel.close()
        try await silent2.channel.close()
        #expect(await eventually { server.listener.statistics.halfOpen == 0 })
        let client = try await sessionClient().connect(to: server.address, expecting: server.identity.publicKey)
        _ = try await server.next()
        #expect(server.listener.statistics.established == 1)
        await client.close()
        await server.stop()
    }

    @Test("a send waiting for room can be cancelled without harming the session")
    func cancelWaitingSend() async throws {
        var options = SessionDriverOptions()
        options.receiveBufferLimit = 256 << 10
        let server = try await SessionServer(options: options)
        let client = try await sessionClient(configure: { $0.sendBufferLimit = 64 << 10 }).connect(to: server.address)
        let accepted = try await server.next()
        let message = [UInt8](repeating: 7, count: 1 << 20)
        let blocked = Task { () -> SessionDriverError? in
            do {
                while true { try await client.send(message) }
            } catch { return error as? SessionDriverError }
        }
        #expect(await eventually { await client.statistics().waitingSends == 1 && accepted.handler.inbox.isPaused })
        blocked.cancel()
        let outcome = await blocked.value
        #expect(outcome == SessionDriverError.cancelled)
        #expect(await client.statistics().waitingSends == 0)
        // The session still carries messages: one more, which arrives once the reader drains the rest.
        async let sent: Void = client.send([42])
        var last: [UInt8] = []
        for try await m in accepted.messages where m.count == 1 {
            last = m
            break
        }
        try await sent
        #expect(last == [42])
        await client.close()
        await server.stop()
    }
}
