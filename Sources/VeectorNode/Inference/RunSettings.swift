import ContentID
import VeectorBlocks

/// How an installed model is run: which variants, under what memory budget, on how many threads.
public struct RunSettings: Sendable {
    /// lite / pro / ultimate / auto (the best variants that fit the budget).
    public var profile: Profile
    /// Bytes the block cache may hold; nil = the whole model.
    public var memoryBudget: Int?
    /// Compute threads.
    public var threads: Int

    /// Settings: profile `.auto`, no budget, `threads` threads.
    public init(profile: Profile = .auto, memoryBudget: Int? = nil, threads: Int = 1) {
        self.profile = profile
        self.memoryBudget = memoryBudget
        self.threads = threads
    }
}

extension ModelStore {
    /// A copy of a stored blob's bytes (a tokenizer block, a manifest), verified against its CID.
    public func contentBytes(_ cid: CID) throws(BlockSourceError) -> [UInt8] {
        let lent = try blockBytes(cid)
        let bytes = [UInt8](lent.bytes)
        guard CID.sha256(of: bytes) == cid else { throw .failed(cid, "the stored bytes do not match the content ID") }
        return bytes
    }
}
