import ContentID
import VeectorTransfer

/// A `ContentSource` over content held in memory (the tests' stand-in for the blob store, which
/// lives in VeectorDB; the protocol is the same one the node implements).
struct MemorySource: ContentSource {
    var items: [CID: (manifest: TransferManifest, chunks: [[UInt8]])] = [:]
    var ranges: [CID: [Range<Int>]] = [:]

    mutating func add(_ manifest: TransferManifest, _ chunks: [[UInt8]]) { items[manifest.content] = (manifest, chunks) }

    func manifest(for content: CID) -> TransferManifest? { items[content]?.manifest }

    func chunk(of content: CID, index: Int) -> [UInt8]? {
        guard let item = items[content], item.chunks.indices.contains(index) else { return nil }
        if let r = ranges[content], !r.contains(where: { $0.contains(index) }) { return nil }
        return item.chunks[index]
    }

    func heldRanges(of content: CID) -> [Range<Int>]? { ranges[content] }
}

/// Deterministic test content: `size` pseudo-random bytes split into `chunkSize` chunks.
func testContent(size: Int, chunkSize: Int, seed: UInt64 = 7) throws -> (bytes: [UInt8], manifest: TransferManifest, chunks: [[UInt8]]) {
    var g = SeededGenerator(seed: seed)
    let bytes = g.bytes(size)
    let (m, chunks) = try TransferManifest.splitting(bytes, chunkSize: chunkSize)
    return (bytes, m, chunks)
}

/// A peer key for tests: 32 bytes derived from `n`.
func peerKey(_ n: Int) -> TransferPeer {
    var g = SeededGenerator(seed: UInt64(n) &+ 1000)
    return try! TransferPeer(publicKey: g.bytes(32))
}
