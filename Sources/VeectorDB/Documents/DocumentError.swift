/// What can go wrong with a user's documents; every message says what to do next.
public enum DocumentError: Error, CustomStringConvertible, Sendable {
    /// No document matches the given ID, ID prefix or title.
    case notFound(String)
    /// Several documents match; the user must pick one by ID.
    case ambiguous(String, matches: [String])
    /// The document was deleted (it can be restored from its history).
    case deleted(String)
    /// The requested version does not exist.
    case versionNotFound(id: String, version: UInt64, available: [UInt64])
    /// The version asked for is a deletion marker, not content.
    case versionIsDeletion(id: String, version: UInt64)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// Stored data failed authentication or does not decode: it was damaged or tampered with.
    case damaged(id: String, reason: String)
    /// The vault refused (wrong user, damaged key).
    case vault(VaultError)
    /// The storage engine failed.
    case storage(StorageError)
    /// The blob store failed.
    case blob(BlobError)

    public var description: String {
        switch self {
        case let .notFound(query):
            return "no document matches '\(query)'. `veenode docs list` shows your documents and their IDs."
        case let .ambiguous(query, matches):
            return "'\(query)' matches \(matches.count) documents (\(matches.prefix(5).joined(separator: ", "))); use a longer ID."
        case let .deleted(id):
            return "document \(id) was deleted. `veenode docs history \(id)` shows its versions; `veenode docs restore \(id) --version N` brings one back."
        case let .versionNotFound(id, version, available):
            return "document \(id) has no version \(version) (versions: \(available.map(String.init).joined(separator: ", ")))"
        case let .versionIsDeletion(id, version):
            return "version \(version) of document \(id) is its deletion, not content; pick an earlier version"
        case let .io(path, message):
            return "\(path): \(message)"
        case let .damaged(id, reason):
            return "document \(id) is damaged: \(reason). Run `veenode db check`."
        case let .vault(e): return e.description
        case let .storage(e): return e.description
        case let .blob(e): return e.description
        }
    }
}

/// Runs `body`, passing document errors through and wrapping the others (closures whose typed
/// error is lost through a `rethrows` API).
@inline(__always)
func documentErrors<R>(_ body: () throws -> R) throws(DocumentError) -> R {
    do { return try body() } catch let e as DocumentError { throw e } catch let e as StorageError {
        throw .storage(e)
    } catch let e as BlobError {
        throw .blob(e)
    } catch let e as VaultError {
        throw .vault(e)
    } catch {
        throw .damaged(id: "?", reason: "\(error)")
    }
}
