import VeectorIdentity

/// Why a session ended. Every case's description says what happened and what to do.
public enum SessionCloseReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// We closed it (the `close` event), with our reason.
    case local(String)
    /// The peer closed it with a CLOSE frame.
    case remote(code: UInt8, reason: String)
    /// A frame or handshake message failed authentication: altered in transit, or not from this session.
    case authenticationFailed
    /// The handshake did not finish in time.
    case handshakeTimeout
    /// The peer sent nothing for longer than the idle timeout.
    case idleTimeout
    /// The peer broke the framing or handshake rules; the text says which.
    case protocolViolation(String)
    /// The peer announced or sent a message larger than we accept.
    case messageTooLarge(size: Int, limit: Int)
    /// The peer proved an identity other than the one we expected (Ed25519 public keys).
    case unexpectedPeer(expected: [UInt8], got: [UInt8])
    /// The peer's hello does not match the key it proved (wrong Ed25519 key or node ID).
    case identityMismatch(String)
    /// The peer's device certificate does not hold (bad signature, names another device key,
    /// expired or not yet valid, revoked, malformed); the error says which.
    case certificateRejected(IdentityError)
    /// The peer speaks a protocol version we do not.
    case unsupportedVersion(Int64)
    /// The connection ended (end of stream from the driver); `midFrame` if a frame was cut short.
    case endOfStream(midFrame: Bool)
    /// All nonces of a key are used up (after 2^64 - 1 messages).
    case nonceExhausted

    /// The code this reason travels with in our CLOSE frame: 0 normal, 1 protocol error,
    /// 2 message too large, 3 idle timeout, 4 peer not wanted.
    var wireCode: UInt8 {
        switch self {
        case .local: return 0
        case .messageTooLarge: return 2
        case .idleTimeout: return 3
        case .unexpectedPeer, .identityMismatch, .certificateRejected: return 4
        default: return 1
        }
    }

    /// A sentence for logs and users: what happened and what to do.
    public var description: String {
        func hex(_ b: [UInt8]) -> String { b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
        switch self {
        case let .local(reason): return "closed by us: \(reason)"
        case let .remote(code, reason): return "closed by the peer (code \(code)): \(reason.isEmpty ? "no reason given" : reason)"
        case .authenticationFailed:
            return "a message failed authentication: the data was altered in transit or does not belong to this session; reconnect, and suspect the network if it repeats"
        case .handshakeTimeout: return "the handshake did not complete in time; check that the peer is a Veector node and reachable, then retry"
        case .idleTimeout: return "the peer sent nothing for too long; it is gone or the network dropped it, reconnect if still needed"
        case let .protocolViolation(what): return "the peer broke the session protocol (\(what)); it is buggy or hostile, drop it"
        case let .messageTooLarge(size, limit): return "a message of \(size) bytes exceeds the limit of \(limit); split it or raise maxMessageSize"
        case let .unexpectedPeer(expected, got):
            return "the peer is \(hex(got)), not the expected \(hex(expected)); the address now belongs to another node, look it up again"
        case let .identityMismatch(what): return "the peer's hello does not match the key it proved (\(what)); it is lying about its identity, drop it"
        case let .certificateRejected(error): return "the peer's device certificate was refused: \(error)"
        case let .unsupportedVersion(v): return "the peer speaks session protocol version \(v), which this program does not; upgrade one side"
        case let .endOfStream(midFrame): return midFrame ? "the connection ended in the middle of a frame; data was lost, reconnect" : "the connection ended without a CLOSE frame; reconnect if still needed"
        case .nonceExhausted: return "the session used up its nonces; open a new session"
        }
    }
}
