/// Hard limits of the gossip wire format (`Spec/gossip.md`). A configuration may be stricter, never looser.
public enum GossipLimits {
    /// Wire-format version written in every frame and envelope.
    public static let version: Int64 = 1
    /// Largest frame, in bytes.
    public static let maxFrameBytes = 65_536
    /// Largest inline payload, in bytes.
    public static let maxInlinePayload = 32_768
    /// Most message IDs in one `ihave` or `graft` frame.
    public static let maxIDsPerFrame = 64
    /// Most topics in one `subscribe` or `unsubscribe` frame.
    public static let maxTopicsPerFrame = 64
    /// Longest binary payload CID accepted, in bytes.
    public static let maxCIDBytes = 80
    /// Domain-separation prefix of the signed bytes: the signature covers this, then the body.
    public static let signingContext: [UInt8] = Array("veector-gossip-v1".utf8) + [0]
}
