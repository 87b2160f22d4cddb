import ContentID
import VeectorDB
import VeectorTransfer

/// Where a fetch keeps what it has so far, durably, so a fetch interrupted by a dropped connection or a
/// restart of the node resumes instead of starting over: the accepted manifest in `transfer-fetches`
/// (content CID → manifest encoding) and every verified chunk in the blob store's chunk collection
/// (named by its own CID). When the whole is verified it becomes one blob and the record goes.
public struct FetchStore: Sendable {
    /// Collection of fetches in progress: content CID bytes → `TransferManifest` encoding.
    public static let fetches = "transfer-fetches"

    /// The database underneath.
    public let database: Database
    var blobs: BlobStore { BlobStore(database: database) }

    /// A fetch store over `database`.
    public init(database: Database) { self.database = database }

    /// What an earlier, unfinished fetch of `content` left: its manifest and the chunks already stored.
    public func resumeState(of content: CID) -> (manifest: TransferManifest, held: Set<CID>)? {
        guard let record = try? database.get(Self.fetches, content.bytes), record.kind == .put,
              let manifest = try? TransferManifest(decoding: record.value), manifest.content == content else { return nil }
        let held = Set(manifest.chunks.map(\.cid).filter { blobs.hasChunk($0) })
        return (manifest, held)
    }

    /// Records `manifest` as the one being fetched (once per fetch, when the core adopts it).
    public func begin(_ manifest: TransferManifest) throws(StorageError) {
        var txn = Transaction()
        txn.put(Self.fetches, manifest.content.bytes, manifest.encoded())
        _ = try database.commit(txn)
    }

    /// Stores one verified chunk durably (uncompressed: fetched content is mostly incompressible).
    public func store(chunk bytes: [UInt8]) throws(StorageError) {
        var txn = Transaction()
        blobs.stageChunk(bytes, compress: false, into: &txn)
        _ = try database.commit(txn)
    }

    /// Reads the stored chunks of `manifest` in order and returns the whole if it hashes to the content
    /// CID; nil if a chunk is missing or the whole does not match (the manifest lied).
    public func assemble(_ manifest: TransferManifest) -> [UInt8]? {
        var whole: [UInt8] = []
        whole.reserveCapacity(Int(manifest.size))
        for c in manifest.chunks {
            guard let piece = try? blobs.chunk(c.cid, expectedLength: c.size), piece.count == c.size else { return nil }
            whole += piece
        }
        return CID.sha256(of: whole) == manifest.content ? whole : nil
    }

    /// Stores the verified whole as a blob (`aligned` for model blocks and manifests, so they map in place)
    /// and forgets the fetch record. The staged chunks no blob refers to are removed by the next
    /// `veenode db compact` (a chunk may also belong to another blob, so they are not deleted here).
    public func finish(_ manifest: TransferManifest, whole: [UInt8], aligned: Bool) throws(BlobError) {
        try blobs.put(whole, layout: aligned ? .aligned : .chunked(compress: true))
        var txn = Transaction()
        txn.delete(Self.fetches, manifest.content.bytes)
        do { _ = try database.commit(txn) } catch { throw .storage(error) }
    }

    /// Drops an unfinished fetch's record (its staged chunks go at the next compaction).
    public func abandon(_ content: CID) {
        var txn = Transaction()
        txn.delete(Self.fetches, content.bytes)
        _ = try? database.commit(txn)
    }
}
