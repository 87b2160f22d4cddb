import ContentID
import Foundation
import VeectorCrypto

extension DocumentPackage {
    /// Opens the sealed metadata with the document key and describes the document (title, size,
    /// content ID, dates) without decrypting any content.
    public func open(key: SecretKey) throws(PackageError) -> DocumentInfo {
        let meta = try metadata(key: key)
        return info(meta)
    }

    /// Decrypts the whole content with the document key and checks it against the content ID
    /// sealed in the metadata.
    public func decrypt(key: SecretKey) throws(PackageError) -> (info: DocumentInfo, bytes: [UInt8]) {
        var out: [UInt8] = []
        guard let info = try decrypt(key: key, sink: { out += $0; return true }) else { throw .metadataRejected }
        return (info, out)
    }

    /// Decrypts chunk by chunk into `sink` (return false from it to stop: then nil is returned and
    /// nothing was checked). Throws if any chunk fails authentication or the whole content does not
    /// match its sealed content ID — a caller writing to a file must then discard what it wrote.
    @discardableResult
    public func decrypt(key: SecretKey, sink: ([UInt8]) -> Bool) throws(PackageError) -> DocumentInfo? {
        let meta = try metadata(key: key)
        let ad = DocumentRecord.chunkAD(userID: ownerID, documentID: documentID)
        var hasher = ContentHasher()
        var done: UInt64 = 0
        for (index, (chunk, m)) in zip(chunks, meta.chunks).enumerated() {
            let inner: [UInt8]
            do { inner = try AEAD.open(chunk.sealed, key: key, additionalData: ad) } catch {
                throw .chunkRejected(index: index, reason: "it failed authentication")
            }
            guard m.length >= 0, m.length <= Self.maxSealedChunkBytes else {
                throw .chunkRejected(index: index, reason: "its stated length \(m.length) is out of range")
            }
            let plain: [UInt8]
            switch inner.first {
            case 0: plain = Array(inner.dropFirst())
            case 1:
                do { plain = try Zstd.decompress(Array(inner.dropFirst()), expectedSize: m.length) } catch {
                    throw .chunkRejected(index: index, reason: error.description)
                }
            default: throw .chunkRejected(index: index, reason: "unknown chunk encoding")
            }
            guard plain.count == m.length else { throw .chunkRejected(index: index, reason: "it has the wrong length") }
            hasher.update(plain)
            done += UInt64(plain.count)
            guard sink(plain) else { return nil }
        }
        guard done == meta.size, hasher.finalize().description == meta.contentID else {
            throw .contentMismatch(expected: meta.contentID)
        }
        return info(meta)
    }

    /// The sealed metadata, opened: its additional data binds it to the owner, the document and
    /// the exact ordered chunk list, so a dropped, reordered or swapped chunk fails here.
    func metadata(key: SecretKey) throws(PackageError) -> DocumentMetadata {
        let ad = DocumentRecord.metadataAD(userID: ownerID, documentID: documentID, chunks: chunks.map(\.id))
        let json: [UInt8]
        do { json = try AEAD.open(sealedMetadata, key: key, additionalData: ad) } catch { throw .metadataRejected }
        let meta: DocumentMetadata
        do { meta = try DocumentStore.decoder.decode(DocumentMetadata.self, from: Data(json)) } catch {
            throw .malformed(field: "metadata", reason: "does not decode (\(error))")
        }
        guard meta.chunks.count == chunks.count else {
            throw .malformed(field: "metadata", reason: "lists \(meta.chunks.count) chunks, the package holds \(chunks.count)")
        }
        return meta
    }

    func info(_ meta: DocumentMetadata) -> DocumentInfo {
        DocumentInfo(id: documentID.description, version: version, deleted: false, title: meta.title, size: meta.size,
                     contentID: meta.contentID, created: meta.created, modified: meta.modified, restoredFrom: meta.restoredFrom)
    }
}
