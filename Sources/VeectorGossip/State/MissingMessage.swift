import VeectorWire

/// A message announced to us by `ihave` that has not arrived: who announced it, and when to graft.
struct MissingMessage: Sendable {
    let topic: GossipTopic
    var announcers: [GossipPeer]
    var deadline: Instant
}
