import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import VeectorSession

/// A listening TCP socket that accepts encrypted sessions: each connection runs its handshake as soon
/// as it arrives (at most `maxHalfOpenHandshakes` at once; more are closed on arrival), and `run`
/// hands each established session to the node. Made by `SessionEndpoint.listen`.
public final class SessionListener: Sendable {
    /// The address the socket is bound to (with the real port when 0 was asked for).
    public let localAddress: SocketAddress
    /// The port the socket is bound to.
    public var port: Int { localAddress.port ?? 0 }

    private let server: NIOAsyncChannel<AcceptedConnection, Never>
    private let counters: NIOLockedValueBox<SessionListenerStatistics>
    private let logger: Logger

    /// One accepted connection as the accept loop sees it.
    enum AcceptedConnection: Sendable {
        /// Handshaking (or done): wait for the outcome.
        case handshaking(SessionChannelHandler, any Channel)
        /// Over the half-open limit: closed on arrival.
        case refused
    }

    private init(localAddress: SocketAddress, server: NIOAsyncChannel<AcceptedConnection, Never>,
                 counters: NIOLockedValueBox<SessionListenerStatistics>, logger: Logger) {
        self.localAddress = localAddress
        self.server = server
        self.counters = counters
        self.logger = logger
    }

    static func bind(host: String, port: Int, configuration: SessionConfiguration, options: SessionDriverOptions,
                     group: any EventLoopGroup, logger: Logger) async throws(SessionDriverError) -> SessionListener {
        let counters = NIOLockedValueBox(SessionListenerStatistics())
        let queue = max(2, options.acceptQueueLimit)
        let server: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.writeBufferWaterMark, value: SessionEndpoint.waterMark(configuration))
                .childChannelOption(.recvAllocator, value: SessionEndpoint.receiveAllocator(options))
                .bind(host: host, port: port,
                      serverBackPressureStrategy: .init(lowWatermark: queue / 2, highWatermark: queue)) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try accept(channel, configuration: configuration, options: options, counters: counters)
                    }
                }
        } catch {
            throw .bindFailed(address: "\(host):\(port)", reason: "\(error)")
        }
        guard let local = server.channel.localAddress else {
            try? await server.channel.close()
            throw .bindFailed(address: "\(host):\(port)", reason: "the socket has no local address")
        }
        logger.debug("session listener bound", metadata: ["address": "\(local)"])
        return SessionListener(localAddress: local, server: server, counters: counters, logger: logger)
    }

    /// Starts the handshake on a new connection, or closes it when too many are half-open (on its loop).
    private static func accept(_ channel: any Channel, configuration: SessionConfiguration, options: SessionDriverOptions,
                               counters: NIOLockedValueBox<SessionListenerStatistics>) throws -> AcceptedConnection {
        let admitted = counters.withLockedValue { c in
            guard c.halfOpen < max(1, options.maxHalfOpenHandshakes) else {
                c.refusedOverLimit += 1
                return false
            }
            c.halfOpen += 1
            c.accepted += 1
            return true
        }
        guard admitted else {
            try channel.pipeline.syncOperations.addHandler(CloseOnActiveHandler())
            return .refused
        }
        let handler = SessionChannelHandler(configuration: configuration, options: options, handshakeDeadline: nil,
                                            eventLoop: channel.eventLoop)
        try channel.pipeline.syncOperations.addHandler(handler)
        let closed = handler.closed.futureResult
        handler.established.futureResult.whenComplete { result in
            switch result {
            case .success:
                counters.withLockedValue { c in
                    c.halfOpen -= 1
                    c.established += 1
                }
            case .failure:
                closed.whenSuccess { reason in
                    counters.withLockedValue { c in
                        c.halfOpen -= 1
                        c.failedHandshakes += 1
                        c.lastFailure = reason
                    }
                }
            }
        }
        return .handshaking(handler, channel)
    }

    /// Serves sessions until the task is cancelled or `close()` is called: each established session
    /// is passed to `serve` in its own child task, and closed when `serve` returns. Returns after the
    /// listening socket is closed and every `serve` has returned (cancellation reaches them). Call once.
    /// The shape of swift-service-lifecycle's `Service.run`.
    public func run(_ serve: @escaping @Sendable (Session) async -> Void) async {
        let logger = self.logger
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        guard case let .handshaking(handler, channel) = connection else { continue }
                        group.addTask {
                            let peer: PeerIdentity
                            do {
                                peer = try await withTaskCancellationHandler {
                                    try await handler.established.futureResult.get()
                                } onCancel: {
                                    channel.close(promise: nil)
                                }
                            } catch {
                                let reason = (try? await handler.closed.futureResult.get()).map { "\($0)" } ?? "\(error)"
                                logger.debug("session handshake failed", metadata: ["from": "\(channel.remoteAddress.map { "\($0)" } ?? "?")",
                                                                                    "reason": "\(reason)"])
                                return
                            }
                            let session = Session(peer: peer, handler: handler, channel: channel)
                            await serve(session)
                            await session.close(reason: "the node stopped serving this session")
                        }
                    }
                }
            }
        } catch {
            if !(error is CancellationError) { logger.debug("session listener stopped: \(error)") }
        }
    }

    /// Stops accepting: closes the listening socket (`run` returns once its sessions are served).
    public func close() async {
        try? await server.channel.close()
    }

    /// The counters so far.
    public var statistics: SessionListenerStatistics { counters.withLockedValue { $0 } }
}

/// Closes a connection refused over the half-open limit as soon as it is active.
private final class CloseOnActiveHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}
