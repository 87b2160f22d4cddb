/// What the session registry (`PeerLinks`) tells a channel's driver, in order per peer.
public enum PeerLinkEvent: Sendable {
    /// An authenticated session to the peer exists now (we dialled it or it dialled us).
    case sessionUp(PeerKey)
    /// The peer's session ended (closed, dropped, timed out or replaced by a newer one).
    case sessionDown(PeerKey)
    /// The peer opened this channel's link with us.
    case opened(PeerKey)
    /// The peer closed this channel's link with us (the session may go on).
    case closed(PeerKey)
    /// One message of this channel's protocol from the peer.
    case data(PeerKey, [UInt8])
}

/// A channel's driver (gossip, transfer): receives its channel's events from `PeerLinks`. Calls come
/// from session tasks, in order per peer; an implementation hands them to its own executor at once
/// and never blocks the caller.
public protocol PeerChannelDriver: Sendable {
    /// One event for this channel.
    func peerEvent(_ event: PeerLinkEvent)
}
