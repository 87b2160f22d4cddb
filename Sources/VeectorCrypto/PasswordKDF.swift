import CSodium

/// Turns a passphrase into a 32-byte key with Argon2id v1.3 (libsodium `crypto_pwhash`), so a
/// stolen key file costs an attacker a lot of memory and time for every passphrase guessed.
public enum PasswordKDF {
    /// Salt length in bytes (`crypto_pwhash_SALTBYTES`). Use a fresh random salt per key.
    public static let saltBytes = 16

    /// Derives a key from `passphrase` and `salt` with `profile`. Throws `.invalidParameter` for a
    /// wrong salt length or a profile below libsodium's minimum, `.kdfFailed` when the memory the
    /// profile asks for cannot be had.
    public static func deriveKey(passphrase: [UInt8], salt: [UInt8], profile: Argon2idProfile) throws(CryptoError) -> SecretKey {
        Sodium.ensureInitialized()
        guard salt.count == saltBytes else {
            throw .invalidParameter("an Argon2id salt must be \(saltBytes) bytes but this one has \(salt.count)")
        }
        guard profile.opsLimit >= UInt64(crypto_pwhash_argon2id_opslimit_min()),
              profile.opsLimit <= UInt64(crypto_pwhash_argon2id_opslimit_max()) else {
            throw .invalidParameter("Argon2id opsLimit \(profile.opsLimit) is out of range (at least \(crypto_pwhash_argon2id_opslimit_min())); use Argon2idProfile.standard")
        }
        guard profile.memLimitBytes >= UInt64(crypto_pwhash_argon2id_memlimit_min()),
              profile.memLimitBytes <= UInt64(crypto_pwhash_argon2id_memlimit_max()) else {
            throw .invalidParameter("Argon2id memLimitBytes \(profile.memLimitBytes) is out of range (at least \(crypto_pwhash_argon2id_memlimit_min())); use Argon2idProfile.standard")
        }
        guard UInt64(passphrase.count) <= UInt64(crypto_pwhash_argon2id_passwd_max()) else {
            throw .invalidParameter("the passphrase is too long (\(passphrase.count) bytes)")
        }
        return try SecretKey(count: SecretKey.byteCount) { (out) throws(CryptoError) in
            // A non-null pointer even for an empty passphrase (libsodium's parameter is non-null).
            let passphraseStorage = passphrase.isEmpty ? [0] : passphrase
            let result = passphraseStorage.withUnsafeBufferPointer { p in
                salt.withUnsafeBufferPointer { s in
                    p.withMemoryRebound(to: CChar.self) { pc in
                        crypto_pwhash(out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(out.count),
                                      pc.baseAddress!, UInt64(passphrase.count), s.baseAddress!,
                                      profile.opsLimit, Int(profile.memLimitBytes),
                                      crypto_pwhash_ALG_ARGON2ID13)
                    }
                }
            }
            guard result == 0 else {
                throw .kdfFailed("could not allocate the \(profile.memLimitBytes >> 20) MiB this Argon2id profile needs; free some memory (close other programs) and try again")
            }
        }
    }
}
