import ContentID
import Foundation

/// A `BlockSource` holding blobs in memory: the target of a decomposition when nothing needs to
/// persist (tests, a one-off run), and a store whose bytes can be altered to exercise verification.
public final class MemoryBlockSource: BlockSource, @unchecked Sendable {
    private let lock = NSLock()
    private var blobs: [CID: [UInt8]] = [:]

    /// An empty store.
    public init() {}

    /// Stores `bytes` under `cid` (replacing what was there: the cache verifies on load).
    public func put(_ cid: CID, _ bytes: [UInt8]) {
        lock.withLock { blobs[cid] = bytes }
    }

    /// The stored bytes, if any.
    public func get(_ cid: CID) -> [UInt8]? { lock.withLock { blobs[cid] } }

    /// Number of stored blobs and their total bytes.
    public var usage: (count: Int, bytes: Int) {
        lock.withLock { (blobs.count, blobs.values.reduce(0) { $0 + $1.count }) }
    }

    /// A 64-byte aligned copy of the blob (as a mapping would be aligned).
    public func blockBytes(_ cid: CID) throws(BlockSourceError) -> BlockBytes {
        guard let bytes = get(cid) else { throw .notFound(cid) }
        return BlockBytes(copying: bytes)
    }
}
