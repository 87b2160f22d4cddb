/// What can go wrong with a user's inbox of documents shared with them; every message says what to do.
public enum InboxError: Error, CustomStringConvertible, Sendable {
    /// No inbox item matches the given ID, prefix or title.
    case notFound(String)
    /// Several inbox items match; the user must pick one by ID.
    case ambiguous(String, matches: [String])
    /// The received package was refused (nothing was imported).
    case package(PackageError)
    /// A stored inbox item failed authentication or does not decode.
    case damaged(id: String, reason: String)
    /// A file could not be written.
    case io(path: String, message: String)
    /// The vault refused (wrong user, damaged key).
    case vault(VaultError)
    /// The storage engine failed.
    case storage(StorageError)
    /// The blob store failed (e.g. the package's bytes are missing).
    case blob(BlobError)

    /// A sentence for logs and users: what happened and what to do.
    public var description: String {
        switch self {
        case let .notFound(query):
            return "nothing in your inbox matches '\(query)'. `veenode docs inbox` lists what was shared with you."
        case let .ambiguous(query, matches):
            return "'\(query)' matches \(matches.count) inbox items (\(matches.prefix(5).joined(separator: ", "))); use a longer ID."
        case let .package(e): return e.description
        case let .damaged(id, reason):
            return "inbox item \(id) is damaged: \(reason). Run `veenode db check`, and ask the sender to share it again."
        case let .io(path, message): return "\(path): \(message)"
        case let .vault(e): return e.description
        case let .storage(e): return e.description
        case let .blob(e): return e.description
        }
    }
}
