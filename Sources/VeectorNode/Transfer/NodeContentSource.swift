import ContentID
import NIOConcurrencyHelpers
import VeectorDB
import VeectorTransfer

/// What a node serves to fetching peers: every whole blob in its `BlobStore` and every model manifest in
/// its `ModelStore`, each split into fixed-size chunks (`TransferManifest.splitting`). A blob's manifest
/// is computed on first request (one pass of hashing) and cached, so later requests cost a lookup.
/// Aligned blobs (model blocks) are read through a memory mapping; chunked ones are read whole once and
/// the last few are kept.
public final class NodeContentSource: ContentSource, Sendable {
    /// The chunk size manifests are computed with (256 KiB: enough chunks to spread one model block over
    /// several providers, few enough that per-chunk overhead stays small).
    public static let chunkSize = 256 * 1024

    let database: Database
    let chunkSize: Int
    /// Serve altered chunk bytes (tests of a malicious provider only).
    let corruptChunks: Bool
    private let cache = NIOLockedValueBox(Cache())

    struct Cache {
        var manifests: [CID: TransferManifest] = [:]
        var order: [CID] = []
        var bytes: [CID: [UInt8]] = [:]
        var bytesOrder: [CID] = []
    }

    /// A source over `database`'s blobs and model manifests. `corruptChunks` makes it serve chunks with one
    /// byte flipped: for testing that fetchers detect and drop such a provider; never on a real node.
    public init(database: Database, chunkSize: Int = NodeContentSource.chunkSize, corruptChunks: Bool = false) {
        self.database = database
        self.chunkSize = chunkSize
        self.corruptChunks = corruptChunks
    }

    /// Whether this node holds `content` whole (a blob or a model manifest).
    public func holds(_ content: CID) -> Bool {
        BlobStore(database: database).contains(content) || modelManifestBytes(content) != nil
    }

    /// The manifest of `content`, computed from its bytes on first use.
    public func manifest(for content: CID) -> TransferManifest? {
        if let m = cache.withLockedValue({ $0.manifests[content] }) { return m }
        guard let bytes = wholeBytes(content), let split = try? TransferManifest.splitting(bytes, chunkSize: chunkSize) else {
            return nil
        }
        guard split.manifest.content == content else { return nil }
        cache.withLockedValue { c in
            c.manifests[content] = split.manifest
            c.order.append(content)
            if c.order.count > 4096 { c.manifests[c.order.removeFirst()] = nil }
        }
        return split.manifest
    }

    /// Chunk `index` of `content` (with one byte flipped when this source is set to corrupt).
    public func chunk(of content: CID, index: Int) -> [UInt8]? {
        guard let m = manifest(for: content), m.chunks.indices.contains(index) else { return nil }
        let start = index * chunkSize, length = m.chunks[index].size
        var piece: [UInt8]
        let blobs = BlobStore(database: database)
        if let mapping = try? blobs.map(content) {
            guard mapping.bytes.count >= start + length else { return nil }
            piece = Array(mapping.bytes[start ..< start + length])
        } else {
            guard let bytes = wholeBytes(content), bytes.count >= start + length else { return nil }
            piece = Array(bytes[start ..< start + length])
        }
        if corruptChunks { piece[piece.count / 2] ^= 0x5a }
        return piece
    }

    /// The whole bytes of `content`: a mapped aligned blob copied, a chunked blob read, or a model manifest.
    func wholeBytes(_ content: CID) -> [UInt8]? {
        if let b = cache.withLockedValue({ $0.bytes[content] }) { return b }
        let blobs = BlobStore(database: database)
        let bytes: [UInt8]
        if blobs.contains(content) {
            if let mapping = try? blobs.map(content) {
                return Array(mapping.bytes)
            }
            guard let b = try? blobs.get(content) else { return nil }
            bytes = b
        } else if let b = modelManifestBytes(content) {
            bytes = b
        } else {
            return nil
        }
        cache.withLockedValue { c in
            c.bytes[content] = bytes
            c.bytesOrder.append(content)
            if c.bytesOrder.count > 4 { c.bytes[c.bytesOrder.removeFirst()] = nil }
        }
        return bytes
    }

    /// A model manifest stored under `content` (its canonical bytes), if any.
    func modelManifestBytes(_ content: CID) -> [UInt8]? {
        guard let record = try? database.get(ModelStore.manifests, content.bytes), record.kind == .put else { return nil }
        return record.value
    }
}
