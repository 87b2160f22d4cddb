import Foundation
import NIOCore
import NIOPosix
import VeectorCrypto
import VeectorNet
import VeectorSession

/// Bulk transfer over loopback TCP, two ways in the same run: through the real session driver
/// (`SessionEndpoint`: Noise handshake, ChaCha20-Poly1305 frames, back-pressure) and through plain
/// NIO TCP carrying the same framing unencrypted (`NIOAsyncChannel`, the ceiling). The receiving and
/// the sending side each get their own event loop thread.
enum TCPThroughput {
    /// Seconds to move `totalBytes` in `messageBytes` messages through an encrypted session.
    static func session(totalBytes: Int, messageBytes: Int, serverGroup: any EventLoopGroup,
                        clientGroup: any EventLoopGroup) async throws -> Double {
        let serverIdentity = SigningKeyPair.generate()
        let server = SessionEndpoint(configuration: SessionConfiguration(role: .responder, identity: serverIdentity), group: serverGroup)
        let client = SessionEndpoint(configuration: SessionConfiguration(role: .initiator, identity: .generate()), group: clientGroup)
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let count = max(1, totalBytes / messageBytes)
        let message = [UInt8](repeating: 0xA5, count: messageBytes)
        let clock = ContinuousClock()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let (elapsedStream, elapsedOut) = AsyncStream.makeStream(of: Duration.self)
            let (startStream, startOut) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
            group.addTask {
                await listener.run { session in
                    var received = 0
                    var start: ContinuousClock.Instant?
                    for await s in startStream { start = s; break }
                    do {
                        for try await m in session.messages {
                            received += m.count
                            if received >= count * messageBytes { break }
                        }
                    } catch { print("receiver: \(error)") }
                    elapsedOut.yield(clock.now - (start ?? clock.now))
                }
            }
            let session = try await client.connect(to: listener.localAddress, expecting: serverIdentity.publicKey)
            startOut.yield(clock.now)
            for _ in 0..<count { try await session.send(message) }
            var elapsed = Duration.zero
            for await e in elapsedStream { elapsed = e; break }
            await session.close()
            await listener.close()
            group.cancelAll()
            return seconds(elapsed)
        }
    }

    /// Seconds to move `totalBytes` in `messageBytes` messages over plain TCP with the same framing.
    static func plain(totalBytes: Int, messageBytes: Int, serverGroup: any EventLoopGroup,
                      clientGroup: any EventLoopGroup) async throws -> Double {
        let server = try await ServerBootstrap(group: serverGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 65536, maximum: 256 << 10))
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PlainFrameDecoder()))
                    return try NIOAsyncChannel<[UInt8], ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let count = max(1, totalBytes / messageBytes)
        let message = [UInt8](repeating: 0xA5, count: messageBytes)
        let clock = ContinuousClock()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let (startStream, startOut) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
            let (elapsedStream, elapsedOut) = AsyncStream.makeStream(of: Duration.self)
            group.addTask {
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        var start: ContinuousClock.Instant?
                        for await s in startStream { start = s; break }
                        var received = 0
                        try await connection.executeThenClose { messages, _ in
                            for try await m in messages {
                                received += m.count
                                if received >= count * messageBytes { break }
                            }
                        }
                        elapsedOut.yield(clock.now - (start ?? clock.now))
                        return
                    }
                }
            }
            let connection = try await ClientBootstrap(group: clientGroup)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(to: server.channel.localAddress!) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
            startOut.yield(clock.now)
            let elapsed = try await connection.executeThenClose { _, outbound in
                let allocator = ByteBufferAllocator()
                for _ in 0..<count { try await outbound.write(PlainFraming.frames(message, allocator: allocator)) }
                // Keep the connection open until everything has arrived (closing drops unwritten data).
                for await e in elapsedStream { return e }
                return Duration.zero
            }
            try await group.waitForAll()
            return seconds(elapsed)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Runs both ways for 1 MiB and 16 KiB messages, `rounds` times each (interleaved, best kept), and
    /// prints a table with the ratio.
    static func run(totalMiB: Int, rounds: Int) async throws {
        let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        print("loopback TCP, \(totalMiB) MiB per run, best of \(rounds) interleaved runs; load average before: \(load)")
        print("message   encrypted session (MB/s)   plain framed TCP (MB/s)   session / plain")
        for messageBytes in [1 << 20, 16 << 10] {
            let total = totalMiB << 20
            var best = (session: 0.0, plain: 0.0)
            for _ in 0..<rounds {
                let s = try await session(totalBytes: total, messageBytes: messageBytes, serverGroup: serverGroup, clientGroup: clientGroup)
                let p = try await plain(totalBytes: total, messageBytes: messageBytes, serverGroup: serverGroup, clientGroup: clientGroup)
                best.session = max(best.session, Double(total) / s / 1e6)
                best.plain = max(best.plain, Double(total) / p / 1e6)
            }
            let label = messageBytes >= 1 << 20 ? "\(messageBytes >> 20) MiB" : "\(messageBytes >> 10) KiB"
            print(String(format: "%-9@ %26.0f %25.0f %17.2f", label as NSString, best.session, best.plain, best.session / best.plain))
        }
        try await serverGroup.shutdownGracefully()
        try await clientGroup.shutdownGracefully()
    }
}
