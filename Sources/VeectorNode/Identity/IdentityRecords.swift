import VeectorCrypto
import VeectorDB
import VeectorIdentity

/// How identities and certificates sit in the node database (Spec/identity.md, "Storage in the
/// node home"): collection `identity` holds the device seed (key `device`) and each user's
/// sealed user seed (key `user/<name>`); collection `certificates` holds encoded certificates
/// under `device key ‖ user key`; collection `revocations` holds encoded revocations under the same key.
enum IdentityRecords {
    static let collection = "identity"
    static let certificates = "certificates"
    static let revocations = "revocations"
    static let deviceKey = Array("device".utf8)
    static let format: UInt8 = 1
    /// The vault subkey purpose that seals user seeds (8 characters, see `UnlockedUser.subkey`).
    static let sealPurpose = "uidseal1"
    static let sealDomain = Array("veector-user-identity-v1".utf8)

    static func userKey(_ name: String) -> [UInt8] { Array("user/\(name)".utf8) }

    /// `format ‖ seed`.
    static func encodeDevice(_ seed: SecretKey) -> [UInt8] {
        seed.withUnsafeBytes { [format] + Array($0) }
    }

    static func decodeDevice(_ value: [UInt8]) throws(NodeIdentityError) -> DeviceIdentity {
        guard value.count == 33, value[0] == format else {
            throw .damagedRecord(key: "identity/device", reason: "expected format \(format) and 33 bytes, found \(value.count) bytes")
        }
        do { return try DeviceIdentity(seed: Array(value[1...])) } catch { throw .identity(error) }
    }

    /// `format ‖ user public key (32) ‖ AEAD box of the seed`, bound to the user's ID and public key.
    static func sealUser(_ identity: UserIdentity, for user: UnlockedUser) -> [UInt8] {
        let key = user.subkey(purpose: sealPurpose)
        let ad = sealDomain + user.userID + identity.publicKey
        let box = identity.keyPair.seed.withUnsafeBytes { s in ad.withUnsafeBytes { AEAD.seal(s, key: key, additionalData: $0) } }
        return [format] + identity.publicKey + box
    }

    static func openUser(_ value: [UInt8], for user: UnlockedUser) throws(NodeIdentityError) -> UserIdentity {
        let name = "identity/user/\(user.name)"
        guard value.count == 1 + 32 + AEAD.overheadBytes + 32, value[0] == format else {
            throw .damagedRecord(key: name, reason: "unexpected format or length (\(value.count) bytes)")
        }
        let publicKey = Array(value[1..<33])
        let seed: [UInt8]
        do {
            seed = try AEAD.open(Array(value[33...]), key: user.subkey(purpose: sealPurpose), additionalData: sealDomain + user.userID + publicKey)
        } catch {
            throw .damagedRecord(key: name, reason: "the sealed user key does not open with this user's vault keys")
        }
        let identity: UserIdentity
        do { identity = try UserIdentity(seed: seed) } catch { throw .identity(error) }
        guard identity.publicKey == publicKey else { throw .damagedRecord(key: name, reason: "the stored public key does not match the sealed seed") }
        return identity
    }
}
