/// Counters of the node's peer sessions (`veenode status`, `veenode peers`).
public struct PeerLinkStatistics: Sendable, Codable, Equatable {
    /// Sessions open now.
    public var open = 0
    /// Sessions we dialled that opened.
    public var dialled = 0
    /// Sessions peers opened to us.
    public var accepted = 0
    /// Dials that failed (connect, handshake or wrong key).
    public var dialFailures = 0
    /// Sessions dropped as the losing half of two opened at once, or refused (graylisted, ourselves).
    public var refusedSessions = 0
    /// Peers graylisted.
    public var graylisted = 0
    /// Session messages received and sent, and their bytes (channel headers included).
    public var messagesIn = 0, messagesOut = 0, bytesIn = 0, bytesOut = 0
    /// Messages that named no known channel or operation (dropped).
    public var malformed = 0
    /// Sessions closed for being unused.
    public var idleClosed = 0

    /// All zero.
    public init() {}
}
