import VeectorCrypto
import VeectorSession
import VeectorTestSupport
import VeectorWire

/// One side of an in-memory connection: a real `SessionCore` and what it has asked for so far.
struct Side {
    var core: SessionCore
    var rng: SplitMix64
    var delivered: [[UInt8]] = []
    var established: PeerIdentity?
    var closed: SessionCloseReason?
    var timers: [SessionTimer: Duration] = [:]
    var wouldBlock = 0
    var writable = 0
    var rejected: [(Int, Int)] = []
    /// Bytes written by this side and not yet carried to the peer.
    var outbox: [UInt8] = []
    /// Every byte this side ever wrote (for replay and tampering tests).
    var transcript: [UInt8] = []

    init(_ configuration: SessionConfiguration, seed: UInt64) {
        core = SessionCore(configuration: configuration)
        rng = SplitMix64(seed: seed)
    }

    /// Feeds `event`; records the actions. Writes are flushed at once unless `autoFlush` is false.
    mutating func handle(_ event: SessionEvent, now: Instant = .zero, autoFlush: Bool = true) {
        let actions = core.handle(event, now: now, rng: &rng)
        for action in actions {
            switch action {
            case let .write(bytes):
                outbox += bytes
                transcript += bytes
                if autoFlush { _ = core.handle(.flushed(bytes.count), now: now, rng: &rng) }
            case let .deliver(m): delivered.append(m)
            case let .established(p): established = p
            case let .closed(r): closed = r
            case let .setTimer(t, d): timers[t] = d
            case let .cancelTimer(t): timers[t] = nil
            case .wouldBlock: wouldBlock += 1
            case .writable: writable += 1
            case let .messageRejected(size, limit): rejected.append((size, limit))
            }
        }
    }
}

/// Two sessions joined by an in-memory pipe that carries bytes in chunks of a chosen size.
struct Link {
    var a: Side
    var b: Side
    var chunk: Int

    init(_ ca: SessionConfiguration, _ cb: SessionConfiguration, chunk: Int = 1 << 20, seed: UInt64 = 1) {
        a = Side(ca, seed: seed)
        b = Side(cb, seed: seed &+ 1)
        self.chunk = chunk
    }

    /// Carries bytes both ways until neither side has anything to send.
    mutating func pump(now: Instant = .zero) {
        while !a.outbox.isEmpty || !b.outbox.isEmpty {
            if !a.outbox.isEmpty {
                let bytes = a.outbox
                a.outbox = []
                var i = 0
                while i < bytes.count {
                    let j = min(bytes.count, i + chunk)
                    b.handle(.received(Array(bytes[i..<j])), now: now)
                    i = j
                }
            }
            if !b.outbox.isEmpty {
                let bytes = b.outbox
                b.outbox = []
                var i = 0
                while i < bytes.count {
                    let j = min(bytes.count, i + chunk)
                    a.handle(.received(Array(bytes[i..<j])), now: now)
                    i = j
                }
            }
        }
    }

    /// Starts both sides and runs the handshake.
    mutating func connect(now: Instant = .zero) {
        b.handle(.start, now: now)
        a.handle(.start, now: now)
        pump(now: now)
    }
}

enum Keys {
    static let alice = try! SigningKeyPair(seed: [UInt8](repeating: 1, count: 32))
    static let bob = try! SigningKeyPair(seed: [UInt8](repeating: 2, count: 32))
    static let mallory = try! SigningKeyPair(seed: [UInt8](repeating: 3, count: 32))

    static func initiator(_ key: SigningKeyPair = alice, expecting: [UInt8]? = nil) -> SessionConfiguration {
        SessionConfiguration(role: .initiator, identity: key, expectedPeer: expecting)
    }

    static func responder(_ key: SigningKeyPair = bob, expecting: [UInt8]? = nil) -> SessionConfiguration {
        SessionConfiguration(role: .responder, identity: key, expectedPeer: expecting)
    }
}
