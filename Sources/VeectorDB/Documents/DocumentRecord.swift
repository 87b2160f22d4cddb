import ContentID
import Crypto
import Foundation
import VeectorCrypto

/// What the `documents` collection stores for one version of one document (see
/// Spec/veectordb.md, "Documents"): the content-chunk IDs in clear — they are hashes of ciphertext,
/// so the compactor can see which chunks are alive without any key — and everything else sealed.
///
/// `u8 format (1) | u32 count | count × (u8 cidLength, cid) | u32 length | sealed metadata`
struct DocumentRecord {
    var chunks: [CID]
    var sealedMetadata: [UInt8]

    func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 9 + chunks.count * 37 + sealedMetadata.count)
        w.u8(1)
        w.u32(UInt32(chunks.count))
        for c in chunks {
            let b = c.bytes
            w.u8(UInt8(b.count)); w.raw(b)
        }
        w.u32(UInt32(sealedMetadata.count))
        w.raw(sealedMetadata)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> DocumentRecord? {
        bytes.withUnsafeBytes { b in
            var r = ByteReader(b)
            guard r.read(UInt8.self) == 1, let count = r.read(UInt32.self), Int(count) <= b.count else { return nil }
            var chunks: [CID] = []
            for _ in 0..<count {
                guard let n = r.read(UInt8.self), let raw = r.bytes(Int(n)), let cid = try? CID(bytes: raw) else { return nil }
                chunks.append(cid)
            }
            guard let length = r.read(UInt32.self), let sealed = r.bytes(Int(length)), r.remaining == 0 else { return nil }
            return DocumentRecord(chunks: chunks, sealedMetadata: sealed)
        }
    }

    /// The additional data that binds sealed metadata to its user, document and exact chunk list,
    /// so chunks cannot be reordered, dropped or swapped without the metadata failing to open.
    static func metadataAD(userID: [UInt8], documentID: DocumentID, chunks: [CID]) -> [UInt8] {
        var sha = SHA256()
        for c in chunks { sha.update(data: c.bytes) }
        return Array("veector-doc-meta-v1".utf8) + userID + documentID.bytes + Array(sha.finalize())
    }

    /// The additional data of every content chunk of a document.
    static func chunkAD(userID: [UInt8], documentID: DocumentID) -> [UInt8] {
        Array("veector-doc-chunk-v1".utf8) + userID + documentID.bytes
    }
}

/// A document's metadata, sealed with its key: nothing here is ever on disk in clear.
struct DocumentMetadata: Codable {
    /// One content chunk: its plaintext length and a keyed hash of its plaintext (to reuse it in
    /// the next version when unchanged).
    struct Chunk: Codable {
        var length: Int
        var tag: String
    }
    var title: String
    var size: UInt64
    /// CIDv1 of the whole plaintext, checked after every read.
    var contentID: String
    var created: Date
    var modified: Date
    var restoredFrom: UInt64?
    var chunks: [Chunk]
}
