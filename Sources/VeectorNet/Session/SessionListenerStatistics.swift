import VeectorSession

/// What a session listener has accepted, refused and failed: for logs and for tests that check a
/// misbehaving client does not disturb the others.
public struct SessionListenerStatistics: Sendable, Equatable {
    /// TCP connections taken into a handshake.
    public var accepted = 0
    /// Handshakes that completed.
    public var established = 0
    /// Handshakes that failed (garbage, timeout, wrong identity, disconnect).
    public var failedHandshakes = 0
    /// Connections closed on arrival because `maxHalfOpenHandshakes` handshakes were already running.
    public var refusedOverLimit = 0
    /// Handshakes running now.
    public var halfOpen = 0
    /// Why the latest handshake failed, if one did.
    public var lastFailure: SessionCloseReason?

    /// All zero.
    public init() {}
}
