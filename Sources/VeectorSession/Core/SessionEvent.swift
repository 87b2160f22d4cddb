/// What can happen to a session: the driver's input to `SessionCore.handle`.
public enum SessionEvent: Sendable, Equatable {
    /// Begin: the initiator writes the first handshake message; both sides arm the handshake timer.
    case start
    /// Bytes arrived from the connection (any chunking).
    case received([UInt8])
    /// The connection reached end of stream.
    case endOfStream
    /// The application wants to send one message (any size up to the peer's limit).
    case send([UInt8])
    /// Rekey our sending key now (Noise `REKEY`), telling the peer.
    case rekey
    /// Close the session with a reason the peer will see.
    case close(reason: String)
    /// The driver finished writing this many bytes of earlier `.write` actions to the connection.
    case flushed(Int)
    /// A timer the core set has fired.
    case timerFired(SessionTimer)
}
