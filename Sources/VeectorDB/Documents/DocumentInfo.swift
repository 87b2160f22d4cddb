import Foundation

/// What a person sees of one version of a document (decrypted in memory only).
public struct DocumentInfo: Sendable, Codable, Equatable {
    /// The document's full ID.
    public var id: String
    /// Its version number (1, 2, …).
    public var version: UInt64
    /// Whether this version is a deletion marker.
    public var deleted: Bool
    /// The title (empty for deletion markers).
    public var title: String
    /// Plaintext size in bytes.
    public var size: UInt64
    /// CIDv1 of the plaintext.
    public var contentID: String
    /// When the document was first added.
    public var created: Date?
    /// When this version was written.
    public var modified: Date?
    /// The version this one restored, if any.
    public var restoredFrom: UInt64?
    /// How many versions the document has (in listings).
    public var versions: Int?
    /// Set when the document's records could not be read (listings carry on past it).
    public var damage: String?
}
