/// What an attacking gossip peer injects into its links (scenario `adversary gossip-… N`). The
/// attacker still runs a real `GossipNode` (so honest peers link to it and put it in their topic
/// mesh); on top of that it sends bad frames at its scenario rate.
public enum GossipAdversaryKind: String, Sendable, Equatable, CaseIterable {
    /// Well-formed envelopes naming an honest author but signed with the attacker's key.
    case forge = "gossip-forge"
    /// Random bytes as frames (not bencode, or not a gossip frame).
    case garbage = "gossip-garbage"
    /// Genuine envelopes it relayed, sent again with the payload or the signed sequence altered.
    case replay = "gossip-replay"
}
