import ContentID
import Foundation

/// One document another user shared with this one, as the inbox lists it (decrypted in memory only).
public struct InboxItem: Sendable, Equatable {
    /// The share's ID (names the item on the command line).
    public var id: ShareID
    /// The document's title, from its sealed metadata.
    public var title: String
    /// Plaintext size in bytes.
    public var size: UInt64
    /// CIDv1 of the plaintext.
    public var contentID: String
    /// The document's ID in the sender's store.
    public var documentID: String
    /// The version of the sender's document that was shared.
    public var version: UInt64
    /// When the sender last changed that version.
    public var modified: Date?
    /// When it was imported here.
    public var received: Date
    /// The package's content ID.
    public var package: CID
    /// The package's size in bytes.
    public var packageBytes: UInt64
    /// What the importer attached (the node keeps the signed share record here).
    public var note: [UInt8]
    /// Set when the item could not be opened (listings carry on past it).
    public var damage: String?
}

/// What the `share-inbox` collection stores for one item (Spec/sharing.md, "Inbox"):
/// `u8 format (1) | u8 cidLength, package CID | wrapped document key (73) | u32 length | sealed entry`.
/// The package CID is in clear so garbage collection can see it; everything else is sealed.
struct InboxRecord {
    var package: CID
    var wrappedKey: [UInt8]
    var sealedEntry: [UInt8]

    func encode() -> [UInt8] {
        var w = ByteWriter()
        w.u8(1)
        let cid = package.bytes
        w.u8(UInt8(cid.count)); w.raw(cid)
        w.raw(wrappedKey)
        w.u32(UInt32(sealedEntry.count)); w.raw(sealedEntry)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> InboxRecord? {
        bytes.withUnsafeBytes { b in
            var r = ByteReader(b)
            guard r.read(UInt8.self) == 1, let n = r.read(UInt8.self), let raw = r.bytes(Int(n)), let cid = try? CID(bytes: raw),
                  let wrapped = r.bytes(UnlockedUser.wrappedKeyBytes), let length = r.read(UInt32.self),
                  let sealed = r.bytes(Int(length)), r.remaining == 0 else { return nil }
            return InboxRecord(package: cid, wrappedKey: wrapped, sealedEntry: sealed)
        }
    }
}

/// The sealed part of an inbox record.
struct InboxEntry: Codable {
    var title: String
    var size: UInt64
    var contentID: String
    var documentID: String
    var version: UInt64
    var modified: Date?
    var received: Date
    var packageBytes: UInt64
    var note: Data
}
