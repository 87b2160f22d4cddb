import VeectorCrypto

/// A user whose passphrase has been checked: holds the master key in memory (wiped when the last
/// copy goes away) and wraps and unwraps the keys of that user's documents.
public struct UnlockedUser: Sendable {
    /// Format byte at the front of every wrapped document key.
    static let wrapVersion: UInt8 = 1
    /// KDF context of the document-key wrapping subkey. Contexts starting "VK" are reserved for
    /// the vault itself and refused by `subkey(purpose:)`.
    static let wrapContext = "VKdocwrp"
    /// Length of a wrapped document key: version byte + nonce + key + tag.
    public static let wrappedKeyBytes = 1 + AEAD.nonceBytes + SecretKey.byteCount + AEAD.tagBytes

    /// The user's name (as in the key file's name).
    public let name: String
    /// The user's permanent random 16-byte ID (unchanged by passphrase changes).
    public let userID: [UInt8]
    /// The user's master key. Prefer `subkey(purpose:)` for new uses.
    public let masterKey: SecretKey
    private let wrappingKey: SecretKey

    init(name: String, userID: [UInt8], masterKey: SecretKey) {
        self.name = name
        self.userID = userID
        self.masterKey = masterKey
        wrappingKey = KeyDerivation.subkey(from: masterKey, id: 1, context: Self.wrapContext)
    }

    /// Seals a document's key for storage beside the document. The wrapped key opens only for
    /// this user (master key and user ID) and only with the same `documentID`, so it cannot be
    /// moved to another document or user. Returns `wrappedKeyBytes` bytes.
    public func wrapDocumentKey(_ key: SecretKey, documentID: [UInt8]) -> [UInt8] {
        precondition(key.count == SecretKey.byteCount, "wrapDocumentKey: document keys are 32 bytes")
        let ad = additionalData(documentID: documentID)
        let sealed = key.withUnsafeBytes { k in ad.withUnsafeBytes { AEAD.seal(k, key: wrappingKey, additionalData: $0) } }
        return [Self.wrapVersion] + sealed
    }

    /// Opens a key made by `wrapDocumentKey` for the same user and `documentID`.
    public func unwrapDocumentKey(_ wrapped: [UInt8], documentID: [UInt8]) throws(VaultError) -> SecretKey {
        guard wrapped.count == Self.wrappedKeyBytes else {
            throw .documentKeyRejected(user: name, reason: "it is \(wrapped.count) bytes, not \(Self.wrappedKeyBytes); it was cut short or is not a wrapped key")
        }
        guard wrapped[0] == Self.wrapVersion else {
            throw .documentKeyRejected(user: name, reason: "it has wrapping format \(wrapped[0]), which this program does not know; upgrade Veector")
        }
        do {
            return try AEAD.openKey(Array(wrapped.dropFirst()), key: wrappingKey, additionalData: additionalData(documentID: documentID))
        } catch {
            throw .documentKeyRejected(user: name, reason: "it belongs to another user or another document, or it is damaged; use the key stored with this document")
        }
    }

    /// A 32-byte key for `purpose` (exactly 8 ASCII characters, e.g. "indexkey"), derived from
    /// the master key: the same purpose always gives the same key, different purposes unrelated
    /// keys. Purposes starting with "VK" are reserved for the vault.
    public func subkey(purpose: String) -> SecretKey {
        precondition(!purpose.hasPrefix("VK"), "subkey(purpose:): purposes starting with \"VK\" are reserved for the vault")
        return KeyDerivation.subkey(from: masterKey, id: 1, context: purpose)
    }

    /// "VKdocwrp" || version || user ID || document ID: everything a wrapped key is bound to.
    private func additionalData(documentID: [UInt8]) -> [UInt8] {
        Array(Self.wrapContext.utf8) + [Self.wrapVersion] + userID + documentID
    }
}
