/// The application's judgment of a message that passed the core's own checks (the hook where the
/// evolver plugs in its validation gate).
public enum GossipVerdict: Hashable, Sendable {
    /// Deliver and forward it.
    case accept
    /// Neither deliver nor forward it, without blaming the sender (e.g. not interesting here).
    case ignore
    /// It is invalid: drop it and lower the sender's score as for a forgery.
    case reject(reason: String)
}

/// The application's validation hook, called once per new message before delivery and forwarding.
/// `from` is the peer that relayed it (the author is in the envelope).
public typealias GossipValidator = @Sendable (_ envelope: GossipEnvelope, _ from: GossipPeer) -> GossipVerdict
