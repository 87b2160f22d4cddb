import ContentID
import VeectorCrypto

/// A document version packed for sharing, with the key that opens it. The package may go
/// anywhere; the key must only leave sealed to a recipient.
public struct ExportedPackage: Sendable {
    /// The ciphertext package (no plaintext, no key).
    public let package: DocumentPackage
    /// The document's key: opens `package`. Seal it to the recipient; never send it in clear.
    public let documentKey: SecretKey
    /// What the package holds (decrypted here, for the sender's own display).
    public let info: DocumentInfo
}

extension DocumentStore {
    /// Packs version `version` (default: the newest) of document `id` as a self-contained
    /// ciphertext package: the sealed metadata and sealed chunks exactly as stored, each chunk
    /// checked against its content ID on the way out. Nothing is decrypted except the metadata,
    /// to check that the package opens.
    public func exportPackage(_ id: DocumentID, version: UInt64? = nil) throws(DocumentError) -> ExportedPackage {
        let entries = database.history(Self.documents, key(id))
        guard let latest = entries.last else { throw .notFound(id.description) }
        let entry: IndexEntry
        if let version {
            guard let e = entries.first(where: { $0.version == version }) else {
                throw .versionNotFound(id: id.description, version: version, available: entries.map(\.version))
            }
            guard !e.isDeletion else { throw .versionIsDeletion(id: id.description, version: version) }
            entry = e
        } else {
            guard !latest.isDeletion else { throw .deleted(id.short) }
            entry = latest
        }
        let docKey = try documentKey(id)
        let record = try recordValue(id, entry: entry)
        var chunks: [DocumentPackage.SealedChunk] = []
        chunks.reserveCapacity(record.chunks.count)
        for cid in record.chunks {
            do { chunks.append(DocumentPackage.SealedChunk(id: cid, sealed: try blobs.chunk(cid, verify: true))) } catch { throw .blob(error) }
        }
        let package = DocumentPackage(ownerID: user.userID, documentID: id, version: entry.version, chunks: chunks,
                                      sealedMetadata: record.sealedMetadata)
        let info: DocumentInfo
        do { info = try package.open(key: docKey) } catch {
            throw .damaged(id: id.description, reason: "its stored version does not open as a package (\(error))")
        }
        return ExportedPackage(package: package, documentKey: docKey, info: info)
    }
}
