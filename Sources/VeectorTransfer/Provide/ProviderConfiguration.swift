/// The limits a `ProviderCore` serves by: per-peer and total queues, the send window, request
/// rates, and how long `busy` tells peers to wait.
public struct ProviderConfiguration: Hashable, Sendable {
    /// Peers served at once at most; a new one beyond this is told `busy`.
    public var maxPeers = 64
    /// Chunks queued for one peer at most; wants beyond are answered `busy`.
    public var maxQueuedPerPeer = 32
    /// Chunks queued over all peers at most; wants beyond are answered `busy`.
    public var maxQueuedTotal = 256
    /// Chunks handed to the driver per peer before it reports `sendCompleted`.
    public var sendWindow = 2
    /// Messages accepted from one peer per `rateInterval`; the rest are dropped, and a peer that
    /// sends twice as many is disconnected.
    public var maxMessagesPerInterval = 200
    /// The rate-limit interval.
    public var rateInterval: Duration = .seconds(1)
    /// The shortest back-off `busy` asks for; it grows with the total queue.
    public var busyRetryAfter: Duration = .milliseconds(500)
    /// Largest request accepted (requests are small: a full `want` is about 2 KiB).
    public var maxRequestBytes = 8_192

    /// The defaults.
    public init() {}
}
