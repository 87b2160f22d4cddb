import ContentID
import VeectorTransfer

/// One simulated peer's chunk store, kept across crashes (it stands for the blob store on disk).
/// Its `ContentSource` face is what the peer's real `ProviderCore` serves from; an attacker's store
/// announces genuine manifests and serves garbage bytes in place of every chunk.
final class SimContentStore: ContentSource {
    /// Manifests of content this peer holds some of.
    var manifests: [CID: TransferManifest] = [:]
    /// Verified chunks held, per content.
    var chunks: [CID: [Int: [UInt8]]] = [:]
    /// Content held whole and verified.
    var complete: Set<CID> = []
    /// Serve garbage in place of chunks (a `transfer-garbage` attacker).
    var garbage: SimRandom?

    func manifest(for content: CID) -> TransferManifest? { manifests[content] }

    func chunk(of content: CID, index: Int) -> [UInt8]? {
        guard let m = manifests[content], m.chunks.indices.contains(index) else { return nil }
        if garbage != nil {
            return SimContentStore.randomBytes(m.chunks[index].size, from: &garbage!)
        }
        return chunks[content]?[index]
    }

    func heldRanges(of content: CID) -> [Range<Int>]? {
        guard garbage == nil, !complete.contains(content), let m = manifests[content] else { return nil }
        let held = chunks[content] ?? [:]
        if held.count == m.chunks.count { return nil }
        var ranges: [Range<Int>] = []
        for i in held.keys.sorted() {
            if let last = ranges.last, last.upperBound == i { ranges[ranges.count - 1] = last.lowerBound ..< i + 1 } else { ranges.append(i ..< i + 1) }
        }
        return ranges
    }

    /// The chunk CIDs held for `content` (a resume's input).
    func heldChunkCIDs(_ content: CID) -> Set<CID> {
        guard let m = manifests[content] else { return [] }
        return Set((chunks[content] ?? [:]).keys.map { m.chunks[$0].cid })
    }

    /// `count` bytes from `rng`: each draw's 8 bytes in little-endian order, written a word at a
    /// time (megabytes of garbage and synthetic content are made this way).
    static func randomBytes(_ count: Int, from rng: inout SimRandom) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var k = 0
            while k + 8 <= count {
                buffer.storeBytes(of: rng.next().littleEndian, toByteOffset: k, as: UInt64.self)
                k += 8
            }
            if k < count {
                var v = rng.next()
                while k < count { buffer[k] = UInt8(truncatingIfNeeded: v); v >>= 8; k += 1 }
            }
        }
        return bytes
    }
}
