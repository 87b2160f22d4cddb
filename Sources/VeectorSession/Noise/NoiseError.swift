/// Why a Noise handshake or transport operation failed.
public enum NoiseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A message is shorter than its pattern requires.
    case truncated(needed: Int, got: Int)
    /// Decryption failed: the message was changed, or it does not belong to this session.
    case authenticationFailed
    /// A peer's public key is unusable (wrong length or a low-order point).
    case invalidPeerKey(String)
    /// A message is longer than Noise's 65535-byte limit.
    case messageTooLong(Int)
    /// `writeMessage`/`readMessage` called out of turn, or after the handshake finished.
    case outOfTurn(String)
    /// The 2^64-1 nonces of one cipher state are used up; the session must end.
    case nonceExhausted

    /// A sentence for logs and users: what happened and what to do.
    public var description: String {
        switch self {
        case let .truncated(needed, got):
            return "Noise message truncated: needs at least \(needed) bytes, got \(got); the connection lost data or the peer is broken"
        case .authenticationFailed:
            return "Noise decryption failed: the message was altered in transit or belongs to another session; close the connection"
        case let .invalidPeerKey(reason):
            return "the peer's Noise public key is unusable: \(reason)"
        case let .messageTooLong(n):
            return "a Noise message may be at most 65535 bytes, this one is \(n); split it"
        case let .outOfTurn(what):
            return "Noise handshake used out of order: \(what)"
        case .nonceExhausted:
            return "this session has used all its nonces; open a new session"
        }
    }
}
