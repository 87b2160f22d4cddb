import VeectorDB
import VeectorIdentity

extension NodeHome {
    /// Unlocks `user` (default: the node's first user) with `passphrase` for sharing: their
    /// documents, their inbox, and their user identity (created on first use). The vault is
    /// unlocked once; the identity's creation, on a user's very first share, unlocks it again.
    public func sharing(user: String? = nil, passphrase: [UInt8]) throws(ShareError) -> SharingSession {
        let unlocked: UnlockedUser
        do { unlocked = try vault.unlock(name: user ?? configuration.defaultUser, passphrase: passphrase) } catch { throw .vault(error) }
        let identity: UserIdentity
        do {
            if let record = try database.get(IdentityRecords.collection, IdentityRecords.userKey(unlocked.name)) {
                identity = try IdentityRecords.openUser(record.value, for: unlocked)
            } else {
                identity = try userIdentity(user: unlocked.name, passphrase: passphrase)
            }
        } catch let e as NodeIdentityError { throw .identity(e) } catch let e as StorageError { throw .storage(e) } catch {
            throw .identity(.damagedRecord(key: "identity/user/\(unlocked.name)", reason: "\(error)"))
        }
        return SharingSession(database: database, user: unlocked, identity: identity)
    }
}
