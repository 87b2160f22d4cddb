import ContentID

/// What a published message carries: small content inline, or a pointer (content ID and length)
/// to content fetched separately by the transfer protocol.
public enum GossipPayload: Hashable, Sendable {
    /// The content itself (at most `GossipLimits.maxInlinePayload` bytes); its CID is computed.
    case inline([UInt8])
    /// Only the content's ID and length; the bytes travel elsewhere.
    case pointer(CID, length: UInt64)
}
