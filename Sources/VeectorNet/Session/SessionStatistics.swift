/// What one session's driver has carried and how full its buffers got: for logs, tests that check
/// memory stays bounded, and benchmarks.
public struct SessionStatistics: Sendable, Equatable {
    /// Bytes read from the socket.
    public var wireBytesIn = 0
    /// Bytes handed to the socket (handshake, frames, CLOSE).
    public var wireBytesOut = 0
    /// Application messages delivered by the peer.
    public var messagesIn = 0
    /// Application messages accepted for sending.
    public var messagesOut = 0
    /// Bytes written to the channel whose write has not completed yet.
    public var unflushedBytes = 0
    /// The most that were ever unflushed at once (the send side's memory).
    public var maxUnflushedBytes = 0
    /// The most the core ever held of the peer's input (partial frames, a message being reassembled).
    public var maxCoreInputBytes = 0
    /// Bytes of delivered messages waiting for the application now.
    public var waitingMessageBytes = 0
    /// The most that ever waited (the receive side's memory).
    public var maxWaitingMessageBytes = 0
    /// Times the core refused a message because the send backlog was full (`.wouldBlock`): a sender waited.
    public var wouldBlockCount = 0
    /// Times the channel became unwritable (NIO's write buffer above its high-water mark): a sender waited.
    public var unwritableCount = 0
    /// Times the driver stopped reading because the application was not taking messages.
    public var readPauses = 0
    /// Messages waiting now for room in the core (accepted without waiting, or with a sender waiting).
    public var queuedSends = 0
    /// Of those, the ones whose `send` is still suspended (at most one per sending task).
    public var waitingSends = 0

    /// All zero.
    public init() {}
}
