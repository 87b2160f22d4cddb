import VeectorWire

/// A message announced to us by `ihave` that has not arrived: who announced it, and when to graft.
struct MissingMessage: Sendable {
    let topic: GossipTopic
    var announcers: [GossipPeer]
    var deadline: Instant
    /// When the first `ihave` for it arrived (for the eager-lag estimate).
    var announcedAt: Instant
    /// True once we grafted it: its arrival then says nothing about the eager path.
    var grafted = false
}
