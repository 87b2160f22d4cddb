import ContentID

/// Where a `ProviderCore` reads what it serves: the node's blob store, or the simulator's. Calls
/// are synchronous and must be cheap enough to make while answering a peer (a memory-mapped blob).
public protocol ContentSource {
    /// The manifest of `content` if this node holds (some of) it, else nil.
    func manifest(for content: CID) -> TransferManifest?
    /// Chunk `index` of `content`, if held. The provider does not verify it (peers do).
    func chunk(of content: CID, index: Int) -> [UInt8]?
    /// The chunk ranges held, sorted and non-overlapping; nil when every chunk is held.
    func heldRanges(of content: CID) -> [Range<Int>]?
}

extension ContentSource {
    /// By default a source holds every chunk of each manifest it has.
    public func heldRanges(of content: CID) -> [Range<Int>]? { nil }
}
