import VeectorWire

/// A bucket that has not been touched for `RoutingTableConfiguration.questionableAfter`, with a
/// random ID inside it: the driver runs a `find_node` lookup for `target` to refresh it.
public struct BucketRefresh: Hashable, Sendable {
    /// The bucket's index (the common prefix length with our own ID, 0 ..< 160).
    public var bucket: Int
    /// A random ID in that bucket.
    public var target: NodeID

    /// Makes a refresh request.
    public init(bucket: Int, target: NodeID) {
        self.bucket = bucket
        self.target = target
    }
}
