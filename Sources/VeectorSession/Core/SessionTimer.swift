/// The timers a session asks its driver to run (one of each at most; setting one replaces it).
public enum SessionTimer: Sendable, Hashable {
    /// Ends a handshake that takes too long.
    case handshake
    /// Checks that the peer has sent something recently.
    case idle
    /// Sends a keepalive when we have been quiet.
    case keepalive
}
