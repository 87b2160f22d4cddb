import ContentID
import Foundation
import VeectorDB
import VeectorGossip

/// Shares and revocations carried by gossip (`Spec/sharing.md`, "Over the network"). A share travels on
/// the inbox topic, `veector/inbox`, which every node follows and relays, as one message whose inline
/// payload is the share file (record + ciphertext package; no plaintext, no usable key). Every node checks
/// it (signature, package against the record) before relaying; only the recipient can open the sealed key.
/// One topic for all rather than one per recipient: a per-recipient topic reaches its recipient only
/// when a chain of nodes follows it, and the record names the recipient in the open anyway.
///
/// A running node cannot unlock its users, so it keeps what arrives for them *pending*, in plaintext
/// (it is ciphertext and signed records already): `SharingSession.importPending` imports it the next
/// time the user unlocks (`veenode docs inbox`). Which recipients are this node's: the user keys of the
/// users who unlocked sharing on it (`share-listen`, public keys only).
public enum ShareDelivery {
    /// User name → that user's public sharing key (public: it is what others share to).
    public static let listenCollection = "share-listen"
    /// Recipient key ‖ SHA-256 of the share file → the share file, waiting for its recipient to unlock.
    public static let pendingCollection = "share-pending"
    /// The inbox topic.
    public static let topic: GossipTopic = "veector/inbox"
    /// The largest share file sent inline (the gossip node's inline payload limit).
    public static let maxInlineBytes = GossipConfiguration().maxInlinePayload

    /// The recipient a share file names (after checking it as `verdict` does), or the reason it is invalid.
    public static func recipient(of bytes: [UInt8], message: String) -> Result<[UInt8], ShareError> {
        do {
            if ShareReference.isReference(bytes) {
                return .success(try ShareReference(decoding: bytes, what: message).verifiedRecord().body.recipientPublicKey)
            }
            switch try ShareFile(decoding: bytes, path: message) {
            case let .share(recordBytes, package):
                let record = try ShareRecord(decoding: recordBytes)
                try record.verifySignature()
                guard UInt64(package.count) == record.body.packageBytes, record.body.packages.count == 1,
                      CID.sha256(of: package) == record.body.packages[0] else {
                    return .failure(.malformed(field: "package", reason: "does not match its share record"))
                }
                return .success(record.body.recipientPublicKey)
            case let .revocation(recordBytes):
                let revocation = try ShareRevocation(decoding: recordBytes)
                try revocation.verify()
                return .success(revocation.body.recipientPublicKey)
            }
        } catch {
            return .failure(error)
        }
    }

    /// Recipient key ‖ SHA-256 of the reference → a share sent by reference whose package is still to fetch.
    public static let referencesCollection = "share-references"

    /// The gossip payload for `file` when it fits inline, else nil (it goes by reference).
    public static func inlinePayload(_ file: ShareFile) -> GossipPayload? {
        let bytes = file.encoded()
        return bytes.count <= maxInlineBytes ? .inline(bytes) : nil
    }

    /// Remembers a reference whose package this node is fetching for `recipient` (idempotent).
    public static func storeReference(_ bytes: [UInt8], for recipient: [UInt8], in database: Database) throws(StorageError) {
        var txn = Transaction()
        txn.put(referencesCollection, recipient + CID.sha256(of: bytes).sha256Digest!, bytes)
        _ = try database.commit(txn)
    }

    /// Forgets a reference once its share is pending (or found unusable).
    public static func removeReference(_ bytes: [UInt8], for recipient: [UInt8], in database: Database) throws(StorageError) {
        var txn = Transaction()
        txn.delete(referencesCollection, recipient + CID.sha256(of: bytes).sha256Digest!)
        _ = try database.commit(txn)
    }

    /// The references still waiting for their package, for `recipient` (or for everyone when nil).
    public static func references(for recipient: [UInt8]?, in database: Database) -> [(recipient: [UInt8], bytes: [UInt8])] {
        let rows = recipient.map { database.scan(referencesCollection, range: .prefix($0)) } ?? database.scan(referencesCollection)
        return rows.compactMap { row in
            guard row.key.count == 64, let bytes = try? database.value(of: row.entry) else { return nil }
            return (Array(row.key.prefix(32)), bytes)
        }
    }

    /// The gossip validation hook: on the inbox topic, a share file whose record (or revocation) is
    /// signed by its sender and whose package matches the record, or a reference whose record is signed
    /// and names one package; anything else there is rejected (its relayer loses score). Other topics
    /// are not judged here.
    public static func verdict(_ envelope: GossipEnvelope) -> GossipVerdict {
        guard envelope.topic == topic else { return .accept }
        guard let bytes = envelope.inlinePayload else { return .reject(reason: "a share must travel inline") }
        switch recipient(of: bytes, message: "gossip message \(envelope.id)") {
        case .success: return .accept
        case let .failure(error): return .reject(reason: error.description)
        }
    }

    /// Keeps a share or revocation that arrived for `recipient` until that user unlocks (idempotent).
    public static func storePending(_ bytes: [UInt8], for recipient: [UInt8], in database: Database) throws(StorageError) {
        var txn = Transaction()
        txn.put(pendingCollection, recipient + CID.sha256(of: bytes).sha256Digest!, bytes)
        _ = try database.commit(txn)
    }

    /// Remembers that `user`'s inbox topic is to be followed (their key is public).
    public static func listen(user: String, key: [UInt8], in database: Database) throws(StorageError) {
        if let r = try database.get(listenCollection, Array(user.utf8)), r.value == key { return }
        var txn = Transaction()
        txn.put(listenCollection, Array(user.utf8), key)
        _ = try database.commit(txn)
    }

    /// The keys whose inbox topics this node follows.
    public static func listenKeys(in database: Database) -> [[UInt8]] {
        database.scan(listenCollection).compactMap { try? database.value(of: $0.entry) }.filter { $0.count == 32 }
    }
}

extension SharingSession {
    /// What `importPending` did.
    public struct PendingImport: Sendable, Codable, Equatable {
        /// Shares and revocations imported.
        public var imported: Int
        /// Why others were dropped (expired, revoked, damaged…), one line each.
        public var dropped: [String]
    }

    /// Imports every share and revocation that arrived over the network for this user while they were
    /// locked; each is removed from the pending list once imported or found unusable (and says why).
    public func importPending(now: Int64, received: Date) throws(ShareError) -> PendingImport {
        var result = PendingImport(imported: 0, dropped: [])
        var done = Transaction()
        for row in database.scan(ShareDelivery.pendingCollection, range: .prefix(publicKey)) {
            let key = row.key
            do {
                let bytes = try database.value(of: row.entry)
                _ = try receive(try ShareFile(decoding: bytes, path: "pending share \(key.suffix(32).hexString.prefix(12))"), now: now, received: received)
                result.imported += 1
            } catch {
                result.dropped.append("\(error)")
            }
            done.delete(ShareDelivery.pendingCollection, key)
        }
        if result.imported + result.dropped.count > 0 {
            do { _ = try database.commit(done) } catch { throw .storage(error) }
        }
        return result
    }
}
