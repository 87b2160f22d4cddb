import Foundation
import VeectorCrypto
import VeectorDB
import VeectorIdentity

/// Serialises first-use creation of identities within one process (a home is already locked
/// against other processes).
private let identityCreationLock = NSLock()

extension NodeHome {
    /// This node's device identity, created and stored in the node database on first use.
    ///
    /// The device seed is kept unsealed in the node's own database (not per user): the daemon
    /// must be able to start and authenticate sessions without anyone's passphrase.
    public func deviceIdentity() throws(NodeIdentityError) -> DeviceIdentity {
        identityCreationLock.lock()
        defer { identityCreationLock.unlock() }
        do {
            if let record = try database.get(IdentityRecords.collection, IdentityRecords.deviceKey) {
                return try IdentityRecords.decodeDevice(record.value)
            }
            let identity = DeviceIdentity.generate()
            var txn = Transaction()
            txn.put(IdentityRecords.collection, IdentityRecords.deviceKey, IdentityRecords.encodeDevice(identity.keyPair.seed))
            _ = try database.commit(txn)
            return identity
        } catch let e as NodeIdentityError { throw e } catch let e as StorageError { throw .storage(e) } catch {
            throw .damagedRecord(key: "identity/device", reason: "\(error)")
        }
    }

    /// `user`'s identity (default: the node's first user), unlocked with `passphrase`; created
    /// and stored sealed under that user's vault keys on first use.
    public func userIdentity(user: String? = nil, passphrase: [UInt8]) throws(NodeIdentityError) -> UserIdentity {
        let unlocked: UnlockedUser
        do { unlocked = try vault.unlock(name: user ?? configuration.defaultUser, passphrase: passphrase) } catch { throw .vault(error) }
        identityCreationLock.lock()
        defer { identityCreationLock.unlock() }
        let key = IdentityRecords.userKey(unlocked.name)
        do {
            if let record = try database.get(IdentityRecords.collection, key) {
                return try IdentityRecords.openUser(record.value, for: unlocked)
            }
            let identity = UserIdentity.generate()
            var txn = Transaction()
            txn.put(IdentityRecords.collection, key, IdentityRecords.sealUser(identity, for: unlocked))
            _ = try database.commit(txn)
            return identity
        } catch let e as NodeIdentityError { throw e } catch let e as StorageError { throw .storage(e) } catch {
            throw .damagedRecord(key: "identity/user/\(unlocked.name)", reason: "\(error)")
        }
    }

    /// Has `user` (unlocked with `passphrase`) certify the device with `devicePublicKey` — this
    /// node's own or another of the user's devices — and stores the certificate.
    /// Times are Unix seconds; by default valid from `issuedAt` for one year.
    public func issueCertificate(for devicePublicKey: [UInt8], deviceName: String, user: String? = nil, passphrase: [UInt8],
                                 issuedAt: Int64, expiresAt: Int64? = nil, capabilities: [String] = []) throws(NodeIdentityError) -> DeviceCertificate {
        let identity = try userIdentity(user: user, passphrase: passphrase)
        let certificate: DeviceCertificate
        do {
            certificate = try identity.issueCertificate(devicePublicKey: devicePublicKey, deviceName: deviceName, issuedAt: issuedAt,
                                                        expiresAt: expiresAt ?? issuedAt + 365 * 86_400, capabilities: capabilities)
        } catch { throw .identity(error) }
        var txn = Transaction()
        txn.put(IdentityRecords.certificates, devicePublicKey + identity.publicKey, certificate.encoded())
        do { _ = try database.commit(txn) } catch { throw .storage(error) }
        return certificate
    }

    /// Stores a certificate issued elsewhere (this device's, received from the user's device that
    /// holds the user key, or another device's) after checking its signature.
    public func storeCertificate(_ certificate: DeviceCertificate) throws(NodeIdentityError) {
        guard Signature.verify(certificate.signature, message: certificate.body.signedBytes, publicKey: certificate.body.userPublicKey) else {
            throw .identity(.badSignature)
        }
        var txn = Transaction()
        txn.put(IdentityRecords.certificates, certificate.body.devicePublicKey + certificate.body.userPublicKey, certificate.encoded())
        do { _ = try database.commit(txn) } catch { throw .storage(error) }
    }

    /// Every stored certificate (the newest per device and user), ordered by device then user key.
    /// A stored certificate that no longer parses is reported, not skipped.
    public func certificates() throws(NodeIdentityError) -> [DeviceCertificate] {
        var out: [DeviceCertificate] = []
        for item in database.scan(IdentityRecords.certificates) {
            let value: [UInt8]
            do { value = try database.value(of: item.entry) } catch { throw .storage(error) }
            do { out.append(try DeviceCertificate(decoding: value)) } catch {
                throw .damagedRecord(key: "certificates/\(item.key.map { String(format: "%02x", $0) }.joined())", reason: error.description)
            }
        }
        return out
    }
}
