/// A model installed on the node, as `veenode model list` shows it.
public struct InstalledModel: Codable, Sendable, Equatable {
    /// The local name.
    public var name: String
    /// The architecture (`llama`, `bert`).
    public var arch: String
    /// The model manifest's CID: the model's identity.
    public var cid: String
    /// Number of roles (embedding, layers, head).
    public var blocks: Int
    /// Number of stored blocks over all variants.
    public var blockVariants: Int
    /// Bytes of all its blocks and tokenizer blobs.
    public var bytes: Int
    /// The file or folder it was imported from.
    public var source: String
}

/// One stored block of a model, as `veenode model blocks` shows it.
public struct ModelBlockRow: Codable, Sendable, Equatable {
    /// `embedding`, `layer.N`, `head`, or `tokenizer`.
    public var block: String
    /// What it is: `embedding`, `layer`, `head`, or the tokenizer kind.
    public var kind: String
    /// `lite`, `pro`, `ultimate` (empty for a tokenizer blob).
    public var variant: String
    /// Size in bytes.
    public var bytes: Int
    /// Content ID.
    public var cid: String
}
