#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOPosix
import VeectorWire

/// Runs one datagram protocol core (the DHT) on a real UDP socket: every received datagram is fed to the
/// core with the current monotonic `Instant` and the driver's seeded random source, and the actions the
/// core returns are carried out on the socket's event loop — datagrams sent, timers armed with
/// `scheduleTask`, everything else handed to the owner's `deliver` closure (on the event loop).
///
/// The core is confined to the channel's event loop; other threads reach it only through `submit(_:)` and
/// `withCore(_:)`, which hop onto the loop.
public final class UDPDriver<Core: DatagramProtocolCore>: @unchecked Sendable {
    /// The largest datagram read whole; longer ones arrive truncated and the core rejects them.
    public static var maximumDatagramBytes: Int { 4096 }
    /// Datagrams read per `recvmmsg` call. NIO splits the receive buffer evenly between them, so the
    /// buffer holds this many maximum-size datagrams.
    static var datagramsPerRead: Int { 16 }
    /// The socket's receive buffer: room for a burst of a few thousand datagrams while the loop is busy
    /// (Linux caps it at `net.core.rmem_max`, 4 MiB on a typical host, 208 KiB by default otherwise).
    static var receiveBufferBytes: Int { 4 << 20 }

    /// The address the socket is bound to (the real port when 0 was asked for).
    public let localAddress: PeerAddress
    /// The loop the core runs on.
    public let eventLoop: any EventLoop

    private let channel: any Channel
    private let clock: MonotonicClock
    private let logger: Logger
    private let deliver: @Sendable (Core.Action) -> Void
    // Loop-confined state.
    private var core: Core
    private var rng: SeededGenerator
    private var traffic = TrafficCounters()
    private var timers: [Core.TimerID: (generation: UInt64, task: Scheduled<Void>)] = [:]
    private var timerGeneration: UInt64 = 0
    private var isClosed = false

    private init(core: Core, channel: any Channel, localAddress: PeerAddress, clock: MonotonicClock,
                 rng: SeededGenerator, logger: Logger, deliver: @escaping @Sendable (Core.Action) -> Void) {
        self.core = core
        self.channel = channel
        self.eventLoop = channel.eventLoop
        self.localAddress = localAddress
        self.clock = clock
        self.rng = rng
        self.logger = logger
        self.deliver = deliver
    }

    /// Binds `host:port` (port 0 picks a free one) and starts feeding `core` whatever arrives there.
    /// `deliver` receives the core's non-I/O actions (results, logs) on the event loop.
    public static func start(core: Core, host: String, port: Int, group: any EventLoopGroup,
                             clock: MonotonicClock = MonotonicClock(), rng: SeededGenerator = SeededGenerator(),
                             logger: Logger, deliver: @escaping @Sendable (Core.Action) -> Void) async throws(NetError) -> UDPDriver {
        let box = DriverBox<Core>()
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: maximumDatagramBytes * datagramsPerRead))
                .channelOption(.datagramVectorReadMessageCount, value: datagramsPerRead)
                .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferBytes))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramInboundHandler(box: box))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw .bindFailed(address: "\(host):\(port)", reason: "\(error)")
        }
        guard case let .v4(bound)? = channel.localAddress else {
            try? await channel.close()
            throw .bindFailed(address: "\(host):\(port)", reason: "not an IPv4 address (the DHT speaks IPv4 only)")
        }
        let local = PeerAddress(ip: IPv4Address(UInt32(bigEndian: bound.address.sin_addr.s_addr)),
                                port: UInt16(bigEndian: bound.address.sin_port))
        let driver = UDPDriver(core: core, channel: channel, localAddress: local, clock: clock, rng: rng,
                               logger: logger, deliver: deliver)
        try? await channel.eventLoop.submit { box.driver = driver }.get()
        logger.debug("UDP driver bound", metadata: ["address": "\(local)", "seed": "\(rng.seed)"])
        return driver
    }

    /// Feeds `event` (typically a command) to the core on its loop and carries out the resulting actions.
    public func submit(_ event: Core.Event) async throws(NetError) {
        do {
            try await eventLoop.submit { [self] in
                guard !isClosed else { throw NetError.closed }
                process(event)
            }.get()
        } catch { throw .closed }
    }

    /// Runs `body` with the core on its loop (to read its state or take a snapshot).
    public func withCore<T: Sendable>(_ body: @escaping @Sendable (inout Core) -> T) async throws(NetError) -> T {
        do {
            return try await eventLoop.submit { [self] in body(&core) }.get()
        } catch { throw .closed }
    }

    /// The current instant on the driver's clock (the time base of the core's `Instant`s).
    public func now() -> Instant { clock.now() }

    /// The traffic carried so far.
    public func counters() async -> TrafficCounters {
        (try? await eventLoop.submit { [self] in traffic }.get()) ?? TrafficCounters()
    }

    /// Disarms every timer and closes the socket; later submissions fail with `.closed`.
    public func close() async {
        try? await eventLoop.submit { [self] in
            isClosed = true
            for (_, t) in timers { t.task.cancel() }
            timers.removeAll()
        }.get()
        try? await channel.close()
    }

    // MARK: on the event loop

    fileprivate func received(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard !isClosed else { return }
        traffic.packetsIn += 1
        traffic.bytesIn += UInt64(envelope.data.readableBytes)
        guard case let .v4(a) = envelope.remoteAddress else {
            traffic.dropped += 1
            return
        }
        let from = PeerAddress(ip: IPv4Address(UInt32(bigEndian: a.address.sin_addr.s_addr)),
                               port: UInt16(bigEndian: a.address.sin_port))
        let bytes = envelope.data.getBytes(at: envelope.data.readerIndex, length: envelope.data.readableBytes) ?? []
        process(Core.datagramEvent(from: from, bytes: bytes))
    }

    private func process(_ event: Core.Event) {
        let actions = core.handle(event, now: clock.now(), rng: &rng)
        var wrote = false
        for action in actions {
            switch Core.driverAction(for: action) {
            case let .send(to, bytes):
                send(bytes, to: to)
                wrote = true
            case let .setTimer(id, after):
                arm(id, in: after)
            case let .setTimerAt(id, deadline):
                arm(id, in: clock.delay(until: deadline))
            case let .cancelTimer(id):
                timers.removeValue(forKey: id)?.task.cancel()
            case .deliver:
                deliver(action)
            }
        }
        if wrote { channel.flush() }
    }

    private func send(_ bytes: [UInt8], to destination: PeerAddress) {
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = destination.port.bigEndian
        sin.sin_addr.s_addr = destination.ip.value.bigEndian
        let address = SocketAddress(sin, host: destination.ip.description)
        let envelope = AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: bytes))
        traffic.packetsOut += 1
        traffic.bytesOut += UInt64(bytes.count)
        let promise = eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenFailure { [self] _ in traffic.sendErrors += 1 }
        channel.write(envelope, promise: promise)
    }

    private func arm(_ id: Core.TimerID, in delay: Duration) {
        timers.removeValue(forKey: id)?.task.cancel()
        timerGeneration += 1
        let generation = timerGeneration
        let task = eventLoop.scheduleTask(in: .nanoseconds(max(0, delay.nanosecondCount))) { [self] in
            guard !isClosed, timers[id]?.generation == generation else { return }
            timers[id] = nil
            traffic.timersFired += 1
            process(Core.timerEvent(id))
        }
        timers[id] = (generation, task)
    }
}

/// Lets the channel handler find its driver, which exists only once the socket is bound.
private final class DriverBox<Core: DatagramProtocolCore>: @unchecked Sendable {
    var driver: UDPDriver<Core>?
}

/// Passes received datagrams to the driver; a read error (an ICMP report) never closes the socket.
private final class DatagramInboundHandler<Core: DatagramProtocolCore>: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let box: DriverBox<Core>
    init(box: DriverBox<Core>) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        box.driver?.received(unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
