import ContentID

/// Where a block cache gets bytes: content ID → the stored bytes, possibly memory-mapped.
///
/// Implemented by the node over its database (blocks memory-mapped in place) and, later, over the
/// network. The bytes are not trusted: the cache verifies them against the CID before first use.
public protocol BlockSource: Sendable {
    /// The bytes stored under `cid`, or `BlockSourceError` when they cannot be had.
    func blockBytes(_ cid: CID) throws(BlockSourceError) -> BlockBytes
}

/// Bytes lent by a `BlockSource`, kept valid by `owner` (a mapping, an array) for as long as this lives.
public final class BlockBytes: @unchecked Sendable {
    /// The bytes.
    public let bytes: UnsafeRawBufferPointer
    /// Whatever keeps `bytes` valid.
    public let owner: AnyObject?

    /// Wraps bytes owned by `owner`.
    public init(bytes: UnsafeRawBufferPointer, owner: AnyObject?) {
        self.bytes = bytes
        self.owner = owner
    }

    /// Copies `array` into memory owned by the new object (64-byte aligned, as a mapping would be).
    public convenience init(copying array: [UInt8]) {
        let storage = AlignedStorage(array)
        self.init(bytes: UnsafeRawBufferPointer(storage.buffer), owner: storage)
    }
}

/// A 64-byte aligned heap copy of some bytes.
final class AlignedStorage: @unchecked Sendable {
    let buffer: UnsafeMutableRawBufferPointer
    init(_ bytes: [UInt8]) {
        buffer = .allocate(byteCount: max(bytes.count, 1), alignment: BlockFormat.alignment)
        bytes.withUnsafeBytes { if let base = $0.baseAddress { buffer.baseAddress!.copyMemory(from: base, byteCount: $0.count) } }
        if bytes.isEmpty { buffer[0] = 0 }
    }
    var count: Int { buffer.count }
    deinit { buffer.deallocate() }
}

/// Why a source could not hand out a block's bytes.
public enum BlockSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing is stored under this CID here.
    case notFound(CID)
    /// The store failed while reading it.
    case failed(CID, String)

    public var description: String {
        switch self {
        case let .notFound(cid): return "block \(cid) is not stored here; import the model again (veenode model import)"
        case let .failed(cid, reason): return "block \(cid) could not be read: \(reason)"
        }
    }
}
