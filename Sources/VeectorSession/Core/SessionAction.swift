/// What a session asks its driver to do, in order.
public enum SessionAction: Sendable, Equatable {
    /// Write these bytes to the connection (report them with `.flushed` once written).
    case write([UInt8])
    /// One complete application message from the peer.
    case deliver([UInt8])
    /// The handshake completed: the peer proved this identity.
    case established(PeerIdentity)
    /// The session ended; no further actions will follow. Close the connection.
    case closed(SessionCloseReason)
    /// Fire `.timerFired(timer)` after `after` (replacing any earlier setting of that timer).
    case setTimer(SessionTimer, after: Duration)
    /// Forget that timer.
    case cancelTimer(SessionTimer)
    /// The message was NOT accepted: too many bytes are waiting. Retry after `.writable`.
    case wouldBlock
    /// The outgoing backlog fell below half the limit: sending may resume.
    case writable
    /// The message was not sent: it is larger than the peer accepts (`limit`). The session goes on.
    case messageRejected(size: Int, limit: Int)
}
