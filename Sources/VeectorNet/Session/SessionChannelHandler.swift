import Foundation
import NIOCore
import VeectorSession
import VeectorWire

/// Runs one `SessionCore` on a TCP channel: bytes read are fed as `.received`, end of stream as
/// `.endOfStream`, timers as `.timerFired` (via `scheduleTask`), completed writes as `.flushed(n)`;
/// the core's `.write` actions are written, `.deliver`ed messages go to the `SessionInbox`, `.closed`
/// closes the channel once the last frame (the CLOSE) is written.
///
/// Back-pressure both ways. Receiving: when the application leaves more than
/// `SessionDriverOptions.receiveBufferLimit` bytes of messages untaken, `read` is held back (TCP then
/// fills up and stops the peer) until half is consumed. Sending: sends wait in a queue while the core
/// answers `.wouldBlock` (until `.writable`) or the channel is unwritable; the channel's write-buffer
/// marks equal the core's `sendBufferLimit`, so both say the same.
///
/// Everything here runs on the channel's event loop; `Session` reaches it only by hopping there, hence
/// `@unchecked Sendable`.
final class SessionChannelHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A message waiting for room to be sent, and whom to tell when it is taken (nil: it came
    /// through `sendQueue`, its sender did not wait).
    struct PendingSend {
        let message: [UInt8]
        let promise: EventLoopPromise<Void>?
    }

    let eventLoop: any EventLoop
    /// Succeeds with the peer's identity when the handshake completes; fails with `SessionDriverError.closed`.
    let established: EventLoopPromise<PeerIdentity>
    /// Succeeds with the close reason when the session ends (always completed).
    let closed: EventLoopPromise<SessionCloseReason>
    /// Delivered messages waiting for the application.
    private(set) var inbox: SessionInbox!
    /// Messages `Session.send` accepted without hopping to the loop.
    let sendQueue: SessionSendQueue

    private var configuration: SessionConfiguration
    private let handshakeDeadline: NIODeadline?
    private let options: SessionDriverOptions
    private let clock = MonotonicClock()
    private var rng = SystemRandomNumberGenerator()
    private var core: SessionCore?
    private var context: ChannelHandlerContext?
    private var timers: [SessionTimer: (generation: UInt64, task: Scheduled<Void>)] = [:]
    private var timerGeneration: UInt64 = 0
    private var events = CircularBuffer<SessionEvent>()
    private var processing = false
    private var sends = CircularBuffer<PendingSend>()
    private var coreBlocked = false
    private var channelWritable = true
    private var readPaused = false
    private var readPending = false
    private var closingChannel = false
    private var lastWrite: EventLoopFuture<Void>?
    private var needsFlush = false
    private var isEstablished = false
    private var isEnded = false
    private var stats = SessionStatistics()
    /// Why the session ended, once it has.
    private(set) var closeReason: SessionCloseReason?

    /// A handler for a channel on `eventLoop`; the handshake timeout is cut to end by `handshakeDeadline`.
    init(configuration: SessionConfiguration, options: SessionDriverOptions, handshakeDeadline: NIODeadline?, eventLoop: any EventLoop) {
        self.configuration = configuration
        self.options = options
        self.handshakeDeadline = handshakeDeadline
        self.eventLoop = eventLoop
        established = eventLoop.makePromise(of: PeerIdentity.self)
        closed = eventLoop.makePromise(of: SessionCloseReason.self)
        sendQueue = SessionSendQueue(limit: options.sendQueueLimit)
        inbox = SessionInbox(limit: options.receiveBufferLimit) { [weak self, eventLoop] in
            eventLoop.execute { self?.resumeReading() }
        }
    }

    /// The counters, with the inbox's occupancy (on the loop).
    var statistics: SessionStatistics {
        var s = stats
        (s.waitingMessageBytes, s.maxWaitingMessageBytes) = inbox.occupancy
        s.queuedSends = sends.count
        s.waitingSends = sends.reduce(0) { $0 + ($1.promise == nil ? 0 : 1) }
        return s
    }

    // MARK: pipeline events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        ended(closeReason ?? .endOfStream(midFrame: false))
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The core turns end of stream into `.closed` (which ends the session); without a core it never began.
        if core == nil { ended(.endOfStream(midFrame: false)) } else { feed(.endOfStream) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        stats.wireBytesIn += buffer.readableBytes
        feed(.received(Array(buffer.readableBytesView)))
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        channelWritable = context.channel.isWritable
        if !channelWritable { stats.unwritableCount += 1 }
        drain()
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or failed write: the connection is gone; channelInactive ends the session.
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if readPaused { readPending = true } else { context.read() }
    }

    // MARK: requests from `Session` (on the loop)

    /// Queues `message`; `promise` succeeds when the core took it, fails if it cannot be sent.
    func enqueueSend(_ message: [UInt8], promise: EventLoopPromise<Void>) {
        if let closeReason { return promise.fail(SessionDriverError.closed(closeReason)) }
        sends.append(PendingSend(message: message, promise: promise))
        drain()
    }

    /// Moves the messages `sendQueue` accepted into the send line, in order, and sends what fits.
    func takeOffered() {
        let offered = sendQueue.takeAll()
        guard closeReason == nil else { return }  // ended: the senders were told by `sendQueue.close`
        for message in offered { sends.append(PendingSend(message: message, promise: nil)) }
        drain()
    }

    /// Withdraws a send that is still waiting (its task was cancelled).
    func cancelSend(_ promise: EventLoopPromise<Void>) {
        guard let i = sends.firstIndex(where: { $0.promise?.futureResult === promise.futureResult }) else { return }
        sends.remove(at: i)
        promise.fail(SessionDriverError.cancelled)
    }

    /// Closes the session with a CLOSE frame carrying `reason`, then the connection.
    func close(reason: String) {
        if core != nil { feed(.close(reason: reason)) } else { context?.close(promise: nil) }
    }

    /// Drops the connection without a CLOSE frame (as a crashed process would).
    func abort() {
        context?.close(promise: nil)
    }

    // MARK: driving the core

    private func start() {
        guard core == nil, closeReason == nil else { return }
        if let deadline = handshakeDeadline {
            let left = max(0, (deadline - NIODeadline.now()).nanoseconds)
            configuration.handshakeTimeout = min(configuration.handshakeTimeout, .nanoseconds(left))
        }
        // The peer's certificate is judged at the wall-clock time the connection starts.
        if configuration.certificateTime == nil { configuration.certificateTime = Int64(Date().timeIntervalSince1970) }
        core = SessionCore(configuration: configuration)
        feed(.start)
    }

    private func feed(_ event: SessionEvent) {
        events.append(event)
        drain()
    }

    /// Runs queued events, then queued sends while there is room, then flushes once for all the
    /// writes. Re-entrant calls (a write that completed during `flush`) only queue their event: the
    /// outer call runs it.
    private func drain() {
        guard !processing, let context else { return }
        processing = true
        defer { processing = false }
        while true {
            drainOnce(context: context)
            guard needsFlush else { break }
            needsFlush = false
            context.flush()  // may complete writes or change writability at once: go round again
        }
        if let closeReason, !closingChannel { closeChannel(closeReason, context: context) }
    }

    private func drainOnce(context: ChannelHandlerContext) {
        while true {
            if let event = events.popFirst() {
                _ = run(event, context: context)
                continue
            }
            guard closeReason == nil, isEstablished, !coreBlocked, channelWritable, let next = sends.first else { break }
            switch run(.send(next.message), context: context) {
            case .taken:
                sends.removeFirst()
                stats.messagesOut += 1
                if let promise = next.promise { promise.succeed() } else { sendQueue.release(next.message.count) }
            case let .rejected(size, limit):
                sends.removeFirst()
                if let promise = next.promise {
                    promise.fail(SessionDriverError.messageTooLarge(size: size, limit: limit))
                } else {
                    sendQueue.release(next.message.count)  // `Session.send` checked the size already
                }
            case .wouldBlock:
                break  // stays first in line; `.writable` resumes it
            }
        }
    }

    private enum SendOutcome { case taken, wouldBlock, rejected(size: Int, limit: Int) }

    /// Feeds one event to the core and carries out its actions.
    private func run(_ event: SessionEvent, context: ChannelHandlerContext) -> SendOutcome {
        guard core != nil else { return .taken }
        let actions = core!.handle(event, now: clock.now(), rng: &rng)
        stats.maxCoreInputBytes = max(stats.maxCoreInputBytes, core!.bufferedInputBytes)
        var outcome = SendOutcome.taken
        var wrote = false
        for action in actions {
            switch action {
            case let .write(bytes):
                write(bytes, context: context)
                wrote = true
            case let .deliver(message):
                stats.messagesIn += 1
                if inbox.append(message), !readPaused {
                    readPaused = true
                    stats.readPauses += 1
                }
            case let .established(peer):
                isEstablished = true
                established.succeed(peer)
            case let .closed(reason):
                closeReason = reason
            case let .setTimer(timer, after):
                arm(timer, after: after, context: context)
            case let .cancelTimer(timer):
                timers.removeValue(forKey: timer)?.task.cancel()
            case .wouldBlock:
                coreBlocked = true
                stats.wouldBlockCount += 1
                outcome = .wouldBlock
            case .writable:
                coreBlocked = false
            case let .messageRejected(size, limit):
                outcome = .rejected(size: size, limit: limit)
            }
        }
        if wrote { needsFlush = true }
        return outcome
    }

    private func write(_ bytes: [UInt8], context: ChannelHandlerContext) {
        let count = bytes.count
        stats.wireBytesOut += count
        stats.unflushedBytes += count
        stats.maxUnflushedBytes = max(stats.maxUnflushedBytes, stats.unflushedBytes)
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { [self] result in
            stats.unflushedBytes -= count
            if case .success = result { feed(.flushed(count)) }
        }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
        lastWrite = promise.futureResult
    }

    private func arm(_ timer: SessionTimer, after: Duration, context: ChannelHandlerContext) {
        timers.removeValue(forKey: timer)?.task.cancel()
        timerGeneration += 1
        let generation = timerGeneration
        let task = context.eventLoop.scheduleTask(in: .nanoseconds(max(0, after.nanosecondCount))) { [self] in
            guard timers[timer]?.generation == generation else { return }
            timers[timer] = nil
            feed(.timerFired(timer))
        }
        timers[timer] = (generation, task)
    }

    /// The session is over: tell everyone waiting, then close the connection once the last frame is
    /// written (or after `closeLinger`, if the peer does not read it).
    private func closeChannel(_ reason: SessionCloseReason, context: ChannelHandlerContext) {
        closingChannel = true
        ended(reason)
        let channel = context.channel
        guard let last = lastWrite, stats.unflushedBytes > 0 else { return channel.close(promise: nil) }
        let linger = context.eventLoop.scheduleTask(in: .nanoseconds(options.closeLinger.nanosecondCount)) {
            channel.close(promise: nil)
        }
        last.whenComplete { _ in
            linger.cancel()
            channel.close(promise: nil)
        }
    }

    /// Completes every promise and wakes every waiter with `reason` (idempotent).
    private func ended(_ reason: SessionCloseReason) {
        guard !isEnded else { return }
        isEnded = true
        if closeReason == nil { closeReason = reason }
        for (_, t) in timers { t.task.cancel() }
        timers.removeAll()
        sendQueue.close(reason)
        while let send = sends.popFirst() { send.promise?.fail(SessionDriverError.closed(reason)) }
        inbox.finish(reason)
        if !isEstablished { established.fail(SessionDriverError.closed(reason)) }
        closed.succeed(reason)
    }

    private func resumeReading() {
        guard readPaused, !inbox.isPaused else { return }
        readPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }
}
