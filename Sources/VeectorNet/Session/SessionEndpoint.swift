import Logging
import NIOCore
import NIOPosix
import VeectorSession

/// Where a node opens and accepts encrypted sessions over TCP: one identity and one set of limits,
/// used for every session it dials (`connect`) or accepts (`listen`, then `SessionListener.run`).
public final class SessionEndpoint: Sendable {
    /// The sessions' settings; `role` and `expectedPeer` are set per connection.
    public let configuration: SessionConfiguration
    /// The driver's limits (receive buffer, half-open handshakes, accept queue).
    public let options: SessionDriverOptions
    let group: any EventLoopGroup
    let logger: Logger

    /// An endpoint for `configuration.identity` whose connections run on `group`.
    public init(configuration: SessionConfiguration, options: SessionDriverOptions = SessionDriverOptions(),
                group: any EventLoopGroup, logger: Logger = Logger(label: "veector.session")) {
        self.configuration = configuration
        self.options = options
        self.group = group
        self.logger = logger
    }

    /// Opens a session to `address`: TCP connect, then the handshake as initiator, both within
    /// `timeout`. With `expecting` (an Ed25519 public key) any other peer is refused before we reveal
    /// our identity. Throws `.connectFailed`, `.connectTimeout` or `.handshakeFailed(reason:)`.
    public func connect(to address: SocketAddress, expecting peer: [UInt8]? = nil,
                        timeout: Duration = .seconds(10)) async throws(SessionDriverError) -> Session {
        let wait = TimeAmount.nanoseconds(max(1, timeout.nanosecondCount))
        let deadline = NIODeadline.now() + wait
        var config = configuration
        config.role = .initiator
        config.expectedPeer = peer
        let options = self.options
        let connected: (SessionChannelHandler, any Channel)
        do {
            connected = try await Self.tuned(ClientBootstrap(group: group), options: options, configuration: config)
                .connectTimeout(wait)
                .connect(to: address) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = SessionChannelHandler(configuration: config, options: options, handshakeDeadline: deadline,
                                                            eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.addHandler(handler)
                        return (handler, channel)
                    }
                }
        } catch let error as ChannelError {
            if case .connectTimeout = error { throw .connectTimeout(address: "\(address)", after: timeout) }
            throw .connectFailed(address: "\(address)", reason: "\(error)")
        } catch {
            throw .connectFailed(address: "\(address)", reason: "\(error)")
        }
        let (handler, channel) = connected
        do {
            let peer = try await handler.established.futureResult.get()
            logger.debug("session opened", metadata: ["peer": "\(peer.nodeID)", "address": "\(address)"])
            return Session(peer: peer, handler: handler, channel: channel)
        } catch {
            let reason = (try? await handler.closed.futureResult.get()) ?? .endOfStream(midFrame: false)
            throw .handshakeFailed(address: "\(address)", reason: reason)
        }
    }

    /// Opens a session to `host:port` (an IP address or a name to resolve); see `connect(to:expecting:timeout:)`.
    public func connect(host: String, port: Int, expecting peer: [UInt8]? = nil,
                        timeout: Duration = .seconds(10)) async throws(SessionDriverError) -> Session {
        let address: SocketAddress
        do { address = try SocketAddress.makeAddressResolvingHost(host, port: port) } catch {
            throw .connectFailed(address: "\(host):\(port)", reason: "cannot resolve the address (\(error))")
        }
        return try await connect(to: address, expecting: peer, timeout: timeout)
    }

    /// Listens on `host:port` (port 0 picks a free one). Connections are accepted and their handshakes
    /// run at once (at most `maxHalfOpenHandshakes` together); `SessionListener.run` serves the sessions.
    public func listen(host: String, port: Int) async throws(SessionDriverError) -> SessionListener {
        var config = configuration
        config.role = .responder
        config.expectedPeer = nil
        return try await SessionListener.bind(host: host, port: port, configuration: config, options: options,
                                              group: group, logger: logger)
    }

    /// The socket options every session connection gets: no Nagle delay, NIO's write-buffer marks
    /// equal to the core's send limit, reads up to `maxReadBytes`.
    static func tuned(_ bootstrap: ClientBootstrap, options: SessionDriverOptions, configuration: SessionConfiguration) -> ClientBootstrap {
        bootstrap
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.writeBufferWaterMark, value: waterMark(configuration))
            .channelOption(.recvAllocator, value: receiveAllocator(options))
    }

    static func waterMark(_ configuration: SessionConfiguration) -> WriteBufferWaterMark {
        let high = max(2, configuration.sendBufferLimit)
        return .init(low: high / 2, high: high)
    }

    static func receiveAllocator(_ options: SessionDriverOptions) -> AdaptiveRecvByteBufferAllocator {
        let maximum = max(4096, options.maxReadBytes)
        return AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: min(65536, maximum), maximum: maximum)
    }
}
