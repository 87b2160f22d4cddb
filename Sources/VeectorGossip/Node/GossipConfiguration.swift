/// The rules a `GossipNode` runs by: degree, timing, caches, queues, freshness and scoring.
/// Defaults suit a real network; the simulator and tests shorten the timings.
public struct GossipConfiguration: Hashable, Sendable {
    /// Links kept at most; a link beyond this is refused with `tooManyPeers`.
    public var maxPeers = 12
    /// Below this many links the node asks for more (`connect` a candidate, else `requestPeers`).
    public var targetPeers = 6
    /// Most peers per topic pushed to eagerly (the rest of the topic's peers are lazy links).
    public var maxEagerPeers = 6
    /// Peers a message is sent to when we publish on a topic we do not follow.
    public var fanout = 4
    /// Topics followed at most.
    public var maxTopics = 64
    /// Topics remembered per peer at most.
    public var maxPeerTopics = 64

    /// Largest frame accepted or sent (at most `GossipLimits.maxFrameBytes`).
    public var maxFrameBytes = GossipLimits.maxFrameBytes
    /// Largest inline payload accepted or published (at most `GossipLimits.maxInlinePayload`).
    public var maxInlinePayload = 16_384
    /// Messages older than this (by their timestamp) are refused.
    public var maxMessageAge: Duration = .seconds(600)
    /// Messages dated more than this ahead of our clock are refused.
    public var maxClockSkew: Duration = .seconds(30)

    /// Message IDs remembered at most (oldest forgotten first).
    public var seenCapacity = 20_000
    /// How long an ID is remembered; keep it ≥ `maxMessageAge + maxClockSkew` so an expired ID
    /// cannot be replayed into delivery (freshness refuses it first).
    public var seenDuration: Duration = .seconds(660)
    /// Full messages kept for grafts and for history announced to new links, at most.
    public var storeCapacity = 1_000
    /// Bytes of full messages kept at most.
    public var storeBytes = 8 << 20
    /// How long a full message is kept.
    public var historyDuration: Duration = .seconds(120)
    /// Most recent message IDs per topic announced to a peer that newly shares the topic.
    public var historyAnnounced = 64
    /// Missing (announced, not yet received) messages tracked at most.
    public var maxMissing = 4_096
    /// Announcers remembered per missing message.
    public var maxAnnouncers = 8

    /// A `connect` not followed by `linkUp` within this counts as failed (the peer is unreachable).
    public var dialTimeout: Duration = .seconds(10)
    /// Back-off after a dial that failed or was refused (a link closed before the peer sent a
    /// frame); it doubles with each failure in a row, up to `maxDialBackoff`.
    public var dialBackoff: Duration = .seconds(2)
    /// Longest dial back-off.
    public var maxDialBackoff: Duration = .seconds(30)
    /// How long a peer whose established link broke (not by us) is redialled, with the same
    /// back-off, even when the node has `targetPeers` links (while below `maxPeers`): what re-forms
    /// the mesh across a healed partition and around restarted peers.
    public var reconnectWindow: Duration = .seconds(600)

    /// Shortest interval between two `requestPeers` (fresh candidates come from the DHT: asking
    /// every heartbeat would only feed a node that is being refused more peers to be refused by).
    public var peerRequestInterval: Duration = .seconds(10)

    /// Delay before batched `ihave` announcements go out.
    public var lazyDelay: Duration = .milliseconds(50)
    /// How long after an `ihave` we wait for the eager copy before grafting it.
    public var repairTimeout: Duration = .milliseconds(500)
    /// Wait before grafting from the next announcer when a graft brought nothing.
    public var repairRetry: Duration = .milliseconds(500)
    /// The longest the repair wait grows to when eager copies arrive late (a loaded node or network):
    /// the wait is `repairTimeout`, or twice the recent eager lag when that is longer, up to this.
    public var maxRepairTimeout: Duration = .seconds(5)
    /// Housekeeping period.
    public var heartbeatInterval: Duration = .seconds(1)

    /// Sends handed to the driver and not yet reported `sendCompleted`, per peer; nil = no limit
    /// (the driver then need not report `sendCompleted`).
    public var sendWindow: Int? = 32
    /// Frames queued per peer behind the window at most; beyond, new frames are dropped (a dropped
    /// push demotes the peer to lazy for that topic, so it recovers by graft).
    public var maxQueuedFrames = 512
    /// Bytes queued per peer at most.
    public var maxQueuedBytes = 4 << 20
    /// Announcements (message IDs) batched per peer for the next lazy flush at most.
    public var maxPendingAnnouncements = 4_096
    /// Frames accepted from one peer per heartbeat interval; the rest are dropped.
    public var maxInboundFramesPerInterval = 2_000

    /// Score at or below which a peer is disconnected and graylisted.
    public var disconnectThreshold = -50
    /// Highest score a peer can earn (so good behaviour cannot bank credit for a forgery).
    public var maxScore = 20
    /// Score for each new valid message a peer relays first.
    public var deliveryReward = 1
    /// Penalty for malformed frames, bad signatures, payload mismatches and oversize payloads.
    public var invalidPenalty = 100
    /// Penalty for a message outside the freshness window (clocks drift, so it is lighter).
    public var stalePenalty = 10
    /// Penalty for a message the application rejects.
    public var rejectPenalty = 100
    /// Penalty per frame over the inbound rate limit.
    public var floodPenalty = 1
    /// Negative scores recover by this much per heartbeat.
    public var scoreRecovery = 1
    /// How long a disconnected offender is refused.
    public var graylistDuration: Duration = .seconds(600)

    /// The defaults.
    public init() {}
}
