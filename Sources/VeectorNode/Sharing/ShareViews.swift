import Foundation
import VeectorDB

/// What the sender gets back from sharing: the record and package to hand to the network (or
/// to a share file), and what was shared.
public struct SentShare: Sendable {
    /// The signed share record.
    public let record: ShareRecord
    /// The ciphertext package's bytes (what `record.body.packages[0]` names).
    public let package: [UInt8]
    /// The shared version as the sender sees it.
    public let document: DocumentInfo
}

/// One share in the sender's outbox, for listings and JSON.
public struct OutboxEntry: Sendable, Codable, Equatable {
    /// The share's ID.
    public var id: String
    /// The recipient's user public key (hex).
    public var to: String
    /// The document's ID.
    public var documentID: String
    /// The version shared.
    public var version: UInt64
    /// The package's content ID.
    public var package: String
    /// The package's size in bytes.
    public var packageBytes: UInt64
    /// When it was shared.
    public var shared: Date
    /// Until when it may be imported, if limited.
    public var expires: Date?
    /// Whether sharing this document with this recipient was revoked since.
    public var revoked: Bool
}

/// One document shared with this user, as `docs inbox` lists it.
public struct ReceivedShare: Sendable, Codable, Equatable {
    /// The share's ID (names it for `docs get`).
    public var id: String
    /// The sender's user public key (hex).
    public var from: String
    /// The title, decrypted.
    public var title: String
    /// Plaintext size in bytes.
    public var size: UInt64
    /// CIDv1 of the plaintext.
    public var contentID: String
    /// The document's ID in the sender's store.
    public var documentID: String
    /// The version shared.
    public var version: UInt64
    /// When the sender shared it.
    public var shared: Date
    /// When it was imported here.
    public var received: Date
    /// The package's content ID.
    public var package: String
    /// Whether the sender has revoked sharing it with you since (what you imported stays readable).
    public var revoked: Bool
    /// Set when the item could not be opened.
    public var damage: String?
}

/// What `veenode docs receive` imported.
public enum ReceivedItem: Sendable {
    /// A shared document, now in the inbox.
    case share(ReceivedShare)
    /// A revocation, now recorded.
    case revocation(ShareRevocation)
}
