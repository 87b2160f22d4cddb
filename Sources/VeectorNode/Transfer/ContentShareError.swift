import ContentID

/// Why sharing, fetching or resolving content failed. Each description says what to do.
public enum ContentShareError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The node does not hold the content asked to be shared.
    case notHeld(String)
    /// No installed model has this name, and no announcement named it.
    case unknownModel(String)
    /// A model announcement that does not decode (field and reason).
    case badAnnouncement(String)
    /// The fetch failed.
    case fetchFailed(content: String, reason: String)
    /// Fetched bytes named as a model manifest are not one.
    case notAModelManifest(String)
    /// The database refused a write.
    case storage(String)
    /// The node runs without gossip, so models cannot be announced or heard.
    case noGossip

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case let .notHeld(cid): "this node does not hold \(cid): import or fetch it first"
        case let .unknownModel(name):
            "no model '\(name)' is installed and no peer announced one by that name: import it, wait for an announcement, or pass its manifest CID"
        case let .badAnnouncement(reason): "a model announcement is malformed: \(reason)"
        case let .fetchFailed(content, reason): "could not fetch \(content): \(reason)"
        case let .notAModelManifest(cid): "content \(cid) is not a model manifest: pass the manifest CID that `veenode model list` shows"
        case let .storage(reason): "the database refused a write: \(reason); run `veenode db check`"
        case .noGossip: "this node has no gossip driver, so models cannot be announced: start it with `veenode start`"
        }
    }
}
