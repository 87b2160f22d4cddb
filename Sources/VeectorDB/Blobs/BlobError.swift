import ContentID

/// What can go wrong storing or reading content-addressed blobs.
public enum BlobError: Error, CustomStringConvertible, Sendable {
    /// No blob or chunk with this content ID is stored here.
    case notFound(CID)
    /// The stored bytes do not hash to their content ID, or a blob manifest is malformed.
    case corrupt(String)
    /// The blob is not stored in the aligned layout, so it cannot be memory-mapped in place.
    case notMappable(CID)
    /// The storage engine failed.
    case storage(StorageError)

    public var description: String {
        switch self {
        case let .notFound(cid): return "no content with ID \(cid) is stored on this node"
        case let .corrupt(m): return "stored content is damaged: \(m). Run `veenode db check`."
        case let .notMappable(cid): return "content \(cid) is not stored 64-byte aligned, so it cannot be memory-mapped"
        case let .storage(e): return e.description
        }
    }
}

/// Runs `body`, passing blob errors through and wrapping storage errors.
@inline(__always)
func blobErrors<R>(_ body: () throws -> R) throws(BlobError) -> R {
    do { return try body() } catch let error as BlobError { throw error } catch let error as StorageError {
        throw .storage(error)
    } catch {
        throw .corrupt("\(error)")
    }
}
