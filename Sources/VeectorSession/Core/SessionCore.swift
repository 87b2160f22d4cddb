import VeectorCrypto
import VeectorWire

/// An authenticated, encrypted session between two node identities, as a sans-I/O protocol core:
/// a Noise_XX_25519_ChaChaPoly_BLAKE2b handshake whose static keys are the nodes' Ed25519
/// identities, then length-prefixed encrypted frames carrying fragmented messages, rekeying,
/// keepalives and close (Spec/wire.md, "Sessions").
///
/// No sockets, clocks or global randomness: the driver feeds `SessionEvent`s with the current
/// `Instant` and a random source (which must be cryptographically secure outside tests: it
/// makes the ephemeral keys), and carries out the `SessionAction`s.
public struct SessionCore: ProtocolCore {
    /// What the driver feeds in.
    public typealias Event = SessionEvent
    /// What the driver must carry out.
    public typealias Action = SessionAction

    enum Phase { case idle, handshaking, established, closed }

    /// The configuration the session was made with.
    public let configuration: SessionConfiguration
    let staticKey: X25519KeyPair
    var phase = Phase.idle
    var handshake: NoiseHandshake
    var sendCipher = NoiseCipherState(key: nil)
    var receiveCipher = NoiseCipherState(key: nil)
    var inbox = FrameBuffer()
    var assembling: (total: Int, data: [UInt8])?
    var queued: [[UInt8]] = []
    var queuedBytes = 0
    var unflushed = 0
    var blocked = false
    var sentUnderKey: UInt64 = 0
    var lastReceived = Instant.zero
    var lastSent = Instant.zero
    var now = Instant.zero
    var actions: [SessionAction] = []
    var pendingWrite: [UInt8] = []
    /// The peer, once the handshake has completed.
    public internal(set) var peer: PeerIdentity?

    /// A session that will run as `configuration.role`; nothing happens until `.start`.
    public init(configuration: SessionConfiguration) {
        var c = configuration
        c.maxFrameBytes = min(max(c.maxFrameBytes, 64), NoiseHandshake.maxMessageLength)
        c.maxMessageSize = min(max(c.maxMessageSize, 0), Int(UInt32.max))
        c.rekeyInterval = max(c.rekeyInterval, 1)
        self.configuration = c
        staticKey = c.identity.x25519KeyPair()
        handshake = NoiseHandshake(pattern: .xx, initiator: c.role == .initiator, prologue: c.prologue, localStatic: staticKey)
    }

    /// True once the handshake has completed and until the session closes.
    public var isEstablished: Bool { phase == .established }
    /// True once the session has ended.
    public var isClosed: Bool { phase == .closed }
    /// Bytes the core holds for the peer's input (unparsed frames and a message being reassembled):
    /// bounded by one frame plus the largest message we accept, whatever the peer sends.
    public var bufferedInputBytes: Int { inbox.count + (assembling?.data.count ?? 0) }

    /// Feeds one event at `now`; returns what the driver must do, in order.
    public mutating func handle(_ event: SessionEvent, now: Instant, rng: inout some RandomNumberGenerator) -> [SessionAction] {
        self.now = now
        actions = []
        if phase == .closed { return [] }
        switch event {
        case .start: start(rng: &rng)
        case let .received(bytes): receive(bytes, rng: &rng)
        case .endOfStream: close(.endOfStream(midFrame: inbox.count > 0 || assembling != nil), notifyPeer: false)
        case let .send(message): send(message)
        case .rekey: if phase == .established { sendRekey() }
        case let .close(reason): close(.local(reason), notifyPeer: true)
        case let .flushed(count): flushed(count)
        case let .timerFired(timer): timerFired(timer)
        }
        flushWrite()
        return actions
    }

    /// Appends an action, after any bytes waiting to be written (so the order is preserved).
    mutating func emit(_ action: SessionAction) {
        flushWrite()
        actions.append(action)
    }

    /// Turns the bytes gathered so far into one `.write` action.
    mutating func flushWrite() {
        guard !pendingWrite.isEmpty else { return }
        unflushed += pendingWrite.count
        actions.append(.write(pendingWrite))
        pendingWrite = []
    }

    private mutating func start(rng: inout some RandomNumberGenerator) {
        guard phase == .idle else { return }
        phase = .handshaking
        lastReceived = now
        emit(.setTimer(.handshake, after: configuration.handshakeTimeout))
        if configuration.role == .initiator {
            do { appendHandshakeFrame(try handshake.writeMessage(payload: [], rng: &rng)) } catch {
                return close(.protocolViolation(error.description), notifyPeer: false)
            }
        }
        processInbox(rng: &rng)
    }

    private mutating func receive(_ bytes: [UInt8], rng: inout some RandomNumberGenerator) {
        inbox.append(bytes)
        if phase != .idle { processInbox(rng: &rng) }
    }

    /// Parses every complete frame waiting, handshake or transport as the phase requires.
    mutating func processInbox(rng: inout some RandomNumberGenerator) {
        while let length = inbox.nextLength {
            switch phase {
            case .handshaking:
                let limit = handshakeFrameLimit
                guard length <= limit.max, length >= limit.min else {
                    return close(.protocolViolation("handshake message \(handshakeStep + 1) is \(length) bytes, outside \(limit.min)...\(limit.max)"), notifyPeer: false)
                }
                guard inbox.hasFrame(length: length) else { return }
                readHandshakeMessage(inbox.takeFrame(length: length), rng: &rng)
            case .established:
                guard length >= ChaCha20Poly1305IETF.tagBytes + 1 else {
                    return close(.protocolViolation("a transport frame of \(length) bytes is shorter than tag and type"), notifyPeer: true)
                }
                guard inbox.hasFrame(length: length) else { return }
                readTransportFrame(length: length)
            case .idle, .closed:
                return
            }
        }
    }

    private mutating func send(_ message: [UInt8]) {
        guard unflushed + queuedBytes < configuration.sendBufferLimit else {
            blocked = true
            return emit(.wouldBlock)
        }
        if phase == .established {
            sendMessage(message)
        } else {
            queued.append(message)
            queuedBytes += message.count
        }
    }

    private mutating func flushed(_ count: Int) {
        unflushed = max(0, unflushed - max(0, count))
        if blocked, unflushed + queuedBytes <= configuration.sendBufferLimit / 2 {
            blocked = false
            emit(.writable)
        }
    }

    private mutating func timerFired(_ timer: SessionTimer) {
        switch (timer, phase) {
        case (.handshake, .handshaking), (.handshake, .idle):
            close(.handshakeTimeout, notifyPeer: false)
        case (.idle, .established):
            let quiet = now.duration(since: lastReceived)
            if quiet >= configuration.idleTimeout { close(.idleTimeout, notifyPeer: true) } else {
                emit(.setTimer(.idle, after: configuration.idleTimeout - quiet))
            }
        case (.keepalive, .established):
            guard let interval = configuration.keepaliveInterval else { return }
            let quiet = now.duration(since: lastSent)
            if quiet >= interval {
                writeFrame([TransportFrameType.keepalive.rawValue])
                emit(.setTimer(.keepalive, after: interval))
            } else {
                emit(.setTimer(.keepalive, after: interval - quiet))
            }
        default:
            return
        }
    }

    /// Ends the session: a CLOSE frame first if `notifyPeer` and the session is established,
    /// then timers cancelled and `.closed(reason)`. Buffers are released.
    mutating func close(_ reason: SessionCloseReason, notifyPeer: Bool) {
        guard phase != .closed else { return }
        if notifyPeer && phase == .established {
            let text: String
            if case let .local(r) = reason { text = r } else { text = reason.description }
            writeFrame([TransportFrameType.close.rawValue, reason.wireCode] + Array(text.utf8.prefix(TransportFrameType.maxCloseReasonBytes)))
            guard phase != .closed else { return }  // writing failed and closed the session already
        }
        phase = .closed
        emit(.cancelTimer(.handshake))
        emit(.cancelTimer(.idle))
        if configuration.keepaliveInterval != nil { emit(.cancelTimer(.keepalive)) }
        emit(.closed(reason))
        inbox.removeAll()
        assembling = nil
        queued = []
        queuedBytes = 0
    }
}
