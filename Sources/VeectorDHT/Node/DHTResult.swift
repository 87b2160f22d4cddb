import VeectorWire

/// The outcome of a `DHTCommand`, delivered with `DHTAction.complete`.
public enum DHTResult: Hashable, Sendable {
    /// `bootstrap` finished.
    case bootstrapped(DHTBootstrapReport)
    /// `ping` was answered by this node.
    case pong(NodeContact)
    /// `findNode` finished; `closest` holds the k closest nodes that answered, nearest first.
    case nodes(LookupResult)
    /// `getPeers` finished; `peers` holds the peers found, `closest` the k closest responders.
    case peers(LookupResult)
    /// `getItem` finished: the verified item (the highest `seq` for a mutable one), or nil.
    case item(DHTItem?, lookup: LookupResult)
    /// `announce`, `putImmutable`, `putMutable` or `publish` finished.
    case stored(DHTStoreReport)
    /// `unpublish` finished; false if no owned record had that target.
    case unpublished(wasPublished: Bool)
    /// The command could not be carried out.
    case failed(DHTError)
}
