import VeectorSession

/// What can go wrong when running sessions on TCP sockets; each description says what to do.
public enum SessionDriverError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The listening socket could not be bound.
    case bindFailed(address: String, reason: String)
    /// The TCP connection could not be opened (refused, unreachable, bad address).
    case connectFailed(address: String, reason: String)
    /// The TCP connection did not open within the time allowed.
    case connectTimeout(address: String, after: Duration)
    /// The connection opened but the handshake failed; `reason` says why (wrong peer, timeout, garbage).
    case handshakeFailed(address: String, reason: SessionCloseReason)
    /// The session has ended with `reason`: nothing more can be sent or received on it.
    case closed(SessionCloseReason)
    /// The message is larger than the peer accepts (`limit`, from its hello); the session goes on.
    case messageTooLarge(size: Int, limit: Int)
    /// The waiting task was cancelled; the session itself goes on unless it was closed.
    case cancelled
    /// The listener is closed (or was never listening).
    case listenerClosed

    /// A sentence for logs and users: what happened and what to do.
    public var description: String {
        switch self {
        case let .bindFailed(address, reason):
            return "cannot listen on \(address): \(reason) — choose another port or stop the process using it"
        case let .connectFailed(address, reason):
            return "cannot connect to \(address): \(reason) — check the address and that a Veector node listens there"
        case let .connectTimeout(address, after):
            return "no TCP connection to \(address) within \(after) — the host is unreachable or filtered; retry later or look the peer up again"
        case let .handshakeFailed(address, reason):
            return "the session handshake with \(address) failed: \(reason)"
        case let .closed(reason):
            return "the session is closed: \(reason)"
        case let .messageTooLarge(size, limit):
            return "a message of \(size) bytes is larger than the peer accepts (\(limit)); split it into smaller messages"
        case .cancelled:
            return "the task waiting on the session was cancelled; the session itself was left as it was"
        case .listenerClosed:
            return "the session listener is closed; listen again to accept sessions"
        }
    }
}
