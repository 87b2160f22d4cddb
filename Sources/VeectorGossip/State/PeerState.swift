/// What a `GossipNode` knows about one linked peer: its topics, score, announcements waiting for
/// the lazy flush, and its outbound queue behind the send window.
struct PeerState: Sendable {
    var topics: Set<GossipTopic> = []
    var score = 0
    var inFlight = 0
    var queue = FIFO<[UInt8]>()
    var queuedBytes = 0
    var inboundThisInterval = 0
    var pendingIHave: [GossipTopic: [GossipMessageID]] = [:]
    var pendingCount = 0
    /// A frame arrived from the peer on this link (it accepted us); until then a `linkDown` means it
    /// refused the link.
    var heardFrom = false
}
