import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import VeectorCrypto
import VeectorSession
@testable import VeectorNet

/// A listening endpoint on 127.0.0.1 whose accepted sessions a test takes one by one with `next()`.
/// Every accepted session is held open until the test ends (`stop` closes them all).
final class SessionServer: Sendable {
    let identity: SigningKeyPair
    let listener: SessionListener
    private let accepted: AsyncStream<Session>
    private let all = NIOLockedValueBox<[Session]>([])
    private let running: Task<Void, Never>

    var port: Int { listener.port }
    var address: SocketAddress { listener.localAddress }

    init(identity: SigningKeyPair = .generate(), configure: (inout SessionConfiguration) -> Void = { _ in },
         options: SessionDriverOptions = SessionDriverOptions()) async throws {
        self.identity = identity
        var configuration = SessionConfiguration(role: .responder, identity: identity)
        configure(&configuration)
        let endpoint = SessionEndpoint(configuration: configuration, options: options, group: MultiThreadedEventLoopGroup.singleton)
        let listener = try await endpoint.listen(host: "127.0.0.1", port: 0)
        let (stream, continuation) = AsyncStream.makeStream(of: Session.self)
        let all = self.all
        self.listener = listener
        accepted = stream
        running = Task {
            await listener.run { session in
                all.withLockedValue { $0.append(session) }
                continuation.yield(session)
                _ = await session.closeReason()
            }
            continuation.finish()
        }
    }

    /// The next accepted session (after its handshake).
    func next() async throws -> Session {
        var iterator = accepted.makeAsyncIterator()
        guard let session = await iterator.next() else { throw SessionDriverError.listenerClosed }
        return session
    }

    /// Closes every accepted session and the listener, and waits for `run` to return.
    func stop() async {
        await listener.close()
        for session in all.withLockedValue({ $0 }) { await session.close(reason: "test over") }
        await running.value
    }
}

/// A client endpoint with its own identity.
func sessionClient(identity: SigningKeyPair = .generate(), configure: (inout SessionConfiguration) -> Void = { _ in },
                   options: SessionDriverOptions = SessionDriverOptions()) -> SessionEndpoint {
    var configuration = SessionConfiguration(role: .initiator, identity: identity)
    configure(&configuration)
    return SessionEndpoint(configuration: configuration, options: options, group: MultiThreadedEventLoopGroup.singleton)
}

/// A plain TCP connection that speaks no protocol: for garbage and silence.
func rawConnection(to address: SocketAddress) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(to: address) { channel in
        channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
    }
}

/// Reads a raw connection until the other side closes it; returns what arrived.
func readUntilClosed(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws -> [UInt8] {
    var received: [UInt8] = []
    do {
        try await connection.executeThenClose { inbound, _ in
            for try await buffer in inbound { received += Array(buffer.readableBytesView) }
        }
    } catch let error as IOError where error.errnoCode == ECONNRESET {
        // A reset is a close too.
    }
    return received
}

/// Deterministic message content: the ChaCha20 keystream for message `index` (fast even in debug builds).
struct MessageContent {
    let key = try! SecretKey(bytes: Array(0..<32))

    func message(_ index: Int, size: Int) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        withUnsafeBytes(of: UInt64(index).littleEndian) { for (i, b) in $0.enumerated() { nonce[i] = b } }
        return Array(ChaCha20Poly1305IETF.seal([UInt8](repeating: 0, count: size), key: key, nonce: nonce).prefix(size))
    }
}

/// Polls `condition` every 10 ms until it holds or `limit` passes (for states reached asynchronously);
/// returns whether it held. Not a timing assertion: the limit only stops a broken test from hanging.
func eventually(within limit: Duration = .seconds(30), _ condition: () async -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + limit
    while clock.now < end {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
