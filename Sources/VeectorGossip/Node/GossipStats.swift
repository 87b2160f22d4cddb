/// Counters of a `GossipNode`'s traffic, deliveries and drops (for tests, `veesim` and monitoring).
public struct GossipStats: Hashable, Sendable {
    /// Frames received from linked peers.
    public var framesIn = 0
    /// Frames handed to the driver.
    public var framesOut = 0
    /// Bytes received.
    public var bytesIn = 0
    /// Bytes handed to the driver.
    public var bytesOut = 0
    /// Full-message frames received (new and duplicate).
    public var messagesIn = 0
    /// Full-message frames received for messages already seen.
    public var duplicates = 0
    /// Messages delivered to the application.
    public var delivered = 0
    /// Messages we published.
    public var published = 0
    /// Frames dropped as invalid, by reason.
    public var rejections: [GossipRejection: Int] = [:]
    /// Grafts sent (lazy repair).
    public var graftsOut = 0
    /// Prunes sent.
    public var prunesOut = 0
    /// `ihave` frames sent.
    public var ihavesOut = 0
    /// Frames dropped because a peer's queue was full.
    public var queueDrops = 0
    /// Peers disconnected for misbehaving.
    public var offendersDisconnected = 0

    /// Zero counters.
    public init() {}
}
