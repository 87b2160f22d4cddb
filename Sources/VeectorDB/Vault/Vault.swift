import VeectorCrypto

/// The per-user key store of a node: one passphrase-protected key file per user in one directory.
///
/// Each user has a random 32-byte master key, kept only sealed under a key derived from their
/// passphrase with Argon2id. Unlocking gives an `UnlockedUser`, whose master key wraps the keys
/// of that user's documents. Changing a passphrase re-seals the same master key, so no document
/// needs re-encrypting. File format: Spec/vault.md.
public struct Vault: Sendable {
    /// The directory holding `<user>.vkey` files.
    public let directory: String

    /// Opens the vault at `directory` (created on the first `createUser`).
    public init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// The path of `name`'s key file.
    public func keyFilePath(for name: String) -> String { directory + "/" + name + ".vkey" }

    /// The users that have key files, sorted.
    public func userNames() throws(VaultError) -> [String] {
        try VaultFileSystem.list(directory)
            .filter { $0.hasSuffix(".vkey") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(5)) }
            .filter(Self.isValidUserName)
            .sorted()
    }

    /// True if `name` is 1–32 characters of a–z, 0–9, "_" and "-" (safe as a file name everywhere).
    public static func isValidUserName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return (1...32).contains(bytes.count) && bytes.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// Creates user `name` with a new random master key and user ID, protected by `passphrase`.
    /// Throws `.userExists` if the user already has a key file (which is then left untouched).
    public func createUser(name: String, passphrase: [UInt8], profile: Argon2idProfile = .standard) throws(VaultError) -> UnlockedUser {
        try Self.check(name: name)
        try Self.check(passphrase: passphrase)
        try Self.check(profile: profile)
        try VaultFileSystem.ensureDirectory(directory)
        let path = keyFilePath(for: name)
        if try VaultFileSystem.read(path) != nil { throw .userExists(name) }
        let masterKey = SecretKey.random()
        let userID = SecureRandom.bytes(VaultKeyFile.userIDBytes)
        let file = try Self.seal(name: name, userID: userID, masterKey: masterKey, passphrase: passphrase, profile: profile)
        try VaultFileSystem.writeAtomically(file.bytes, to: path, directory: directory, replace: false, user: name)
        return UnlockedUser(name: name, userID: userID, masterKey: masterKey)
    }

    /// Opens user `name`'s key file with `passphrase`.
    public func unlock(name: String, passphrase: [UInt8]) throws(VaultError) -> UnlockedUser {
        let (file, masterKey) = try open(name: name, passphrase: passphrase)
        return UnlockedUser(name: name, userID: file.userID, masterKey: masterKey)
    }

    /// Re-seals `name`'s master key under `new` (with a fresh salt, and `profile` if given, else
    /// the old profile). Documents are not touched: their keys hang off the unchanged master key.
    /// With a wrong `old` passphrase nothing is changed.
    public func changePassphrase(name: String, old: [UInt8], new: [UInt8], profile: Argon2idProfile? = nil) throws(VaultError) {
        try Self.check(passphrase: new)
        if let profile { try Self.check(profile: profile) }
        let (file, masterKey) = try open(name: name, passphrase: old)
        let updated = try Self.seal(name: name, userID: file.userID, masterKey: masterKey, passphrase: new, profile: profile ?? file.profile)
        try VaultFileSystem.writeAtomically(updated.bytes, to: keyFilePath(for: name), directory: directory, replace: true, user: name)
    }

    /// Reads, checks and opens a key file.
    private func open(name: String, passphrase: [UInt8]) throws(VaultError) -> (VaultKeyFile, SecretKey) {
        try Self.check(name: name)
        let path = keyFilePath(for: name)
        guard let data = try VaultFileSystem.read(path) else {
            throw .userNotFound(name, available: (try? userNames()) ?? [])
        }
        let file = try VaultKeyFile(parsing: data, path: path, expectedName: name)
        let wrappingKey = try Self.derive(passphrase: passphrase, salt: file.salt, profile: file.profile)
        guard let masterKey = file.openMasterKey(wrappingKey: wrappingKey) else { throw .wrongPassphrase(user: name) }
        return (file, masterKey)
    }

    private static func seal(name: String, userID: [UInt8], masterKey: SecretKey, passphrase: [UInt8],
                             profile: Argon2idProfile) throws(VaultError) -> VaultKeyFile {
        let salt = SecureRandom.bytes(PasswordKDF.saltBytes)
        let wrappingKey = try derive(passphrase: passphrase, salt: salt, profile: profile)
        return VaultKeyFile.seal(name: name, userID: userID, profile: profile, salt: salt,
                                 masterKey: masterKey, wrappingKey: wrappingKey)
    }

    private static func derive(passphrase: [UInt8], salt: [UInt8], profile: Argon2idProfile) throws(VaultError) -> SecretKey {
        do {
            return try PasswordKDF.deriveKey(passphrase: passphrase, salt: salt, profile: profile)
        } catch {
            throw .keyDerivationFailed(error.description)
        }
    }

    private static func check(name: String) throws(VaultError) {
        guard isValidUserName(name) else { throw .invalidUserName(name) }
    }

    private static func check(passphrase: [UInt8]) throws(VaultError) {
        guard !passphrase.isEmpty else { throw .invalidPassphrase("it is empty; choose a passphrase of several words") }
    }

    private static func check(profile: Argon2idProfile) throws(VaultError) {
        guard (1...VaultKeyFile.maxOpsLimit).contains(profile.opsLimit),
              (8192...VaultKeyFile.maxMemLimitBytes).contains(profile.memLimitBytes) else {
            throw .keyDerivationFailed("the Argon2id profile (opsLimit \(profile.opsLimit), memLimit \(profile.memLimitBytes)) is outside 1...64 passes and 8 KiB...4 GiB; use Argon2idProfile.standard")
        }
    }
}
