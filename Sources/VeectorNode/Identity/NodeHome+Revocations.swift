import Foundation
import VeectorDB
import VeectorIdentity

extension NodeHome {
    /// Stores a signed revocation (made here by `revokeDevice`, or received from another of the
    /// user's devices) after checking its signature, so sessions refuse the revoked device.
    public func storeRevocation(_ entry: RevocationEntry) throws(NodeIdentityError) {
        do { try entry.verify() } catch { throw .identity(error) }
        let key = entry.body.devicePublicKey + entry.body.userPublicKey
        // For one user and device the earliest revocation time wins (as in `RevocationList`).
        if let existing = try revocation(key: key), existing.body.revokedAt <= entry.body.revokedAt { return }
        var txn = Transaction()
        txn.put(IdentityRecords.revocations, key, entry.encoded())
        do { _ = try database.commit(txn) } catch { throw .storage(error) }
    }

    /// Has `user` (unlocked with `passphrase`) revoke the device with `devicePublicKey` from
    /// `revokedAt` (Unix seconds) on, stores the revocation and returns it (to send to the user's
    /// other devices).
    public func revokeDevice(_ devicePublicKey: [UInt8], user: String? = nil, passphrase: [UInt8], revokedAt: Int64,
                             reason: String = "") throws(NodeIdentityError) -> RevocationEntry {
        let identity = try userIdentity(user: user, passphrase: passphrase)
        let entry: RevocationEntry
        do { entry = try identity.revoke(devicePublicKey: devicePublicKey, revokedAt: revokedAt, reason: reason) } catch { throw .identity(error) }
        try storeRevocation(entry)
        return entry
    }

    /// Every stored revocation, checked again as it is loaded. A damaged one is reported, not skipped.
    public func revocations() throws(NodeIdentityError) -> RevocationList {
        var list = RevocationList()
        for item in database.scan(IdentityRecords.revocations) {
            let value: [UInt8]
            do { value = try database.value(of: item.entry) } catch { throw .storage(error) }
            do { try list.add(RevocationEntry(decoding: value)) } catch {
                throw .damagedRecord(key: "revocations/\(item.key.map { String(format: "%02x", $0) }.joined())", reason: error.description)
            }
        }
        return list
    }

    private func revocation(key: [UInt8]) throws(NodeIdentityError) -> RevocationEntry? {
        let record: Record?
        do { record = try database.get(IdentityRecords.revocations, key) } catch { throw .storage(error) }
        guard let record else { return nil }
        do { return try RevocationEntry(decoding: record.value) } catch {
            throw .damagedRecord(key: "revocations/\(key.map { String(format: "%02x", $0) }.joined())", reason: error.description)
        }
    }
}
