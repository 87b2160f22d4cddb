import ContentID

/// What to fetch, and what is already known about it: the content's CID, optionally the manifest's
/// own CID (from a signed announcement, say) so a lying manifest is refused at once, and for a
/// resume the manifest saved earlier and the chunks already stored.
public struct TransferRequest: Hashable, Sendable {
    /// The content to fetch: the sha2-256 CID of its whole bytes.
    public var content: CID
    /// The manifest's CID if the caller knows it; only that manifest is accepted.
    public var manifestID: CID?
    /// A manifest verified and saved before (a resume after a restart): used at once, no round trip.
    public var manifest: TransferManifest?
    /// Chunk CIDs already stored locally (a resume): they are not fetched again.
    public var heldChunks: Set<CID>

    /// A request for `content`.
    public init(content: CID, manifestID: CID? = nil, manifest: TransferManifest? = nil, heldChunks: Set<CID> = []) {
        self.content = content
        self.manifestID = manifestID ?? manifest?.id
        self.manifest = manifest
        self.heldChunks = heldChunks
    }
}
