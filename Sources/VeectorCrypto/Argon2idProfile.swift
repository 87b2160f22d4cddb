/// How hard Argon2id works to turn a passphrase into a key: passes over memory and memory size.
///
/// Stored beside every salt (in vault key files) so a key can be re-derived with the exact
/// parameters it was made with, even after the defaults change.
public struct Argon2idProfile: Sendable, Equatable, Hashable, Codable {
    /// Number of passes over memory (libsodium `opslimit`); at least 1.
    public var opsLimit: UInt64
    /// Memory used, in bytes (libsodium `memlimit`); at least 8 KiB.
    public var memLimitBytes: UInt64

    /// Makes a profile; `PasswordKDF` checks the values against libsodium's limits when used.
    public init(opsLimit: UInt64, memLimitBytes: UInt64) {
        self.opsLimit = opsLimit
        self.memLimitBytes = memLimitBytes
    }

    /// The profile for real passphrases: 3 passes over 64 MiB (libsodium's "moderate" memory with
    /// its "interactive"-plus passes). A profile a phone or a Raspberry Pi Zero with 512 MB can
    /// run (well under a second on a laptop, a few seconds on a Pi Zero).
    public static let standard = Argon2idProfile(opsLimit: 3, memLimitBytes: 64 << 20)

    /// FOR TESTS ONLY: 1 pass over 8 MiB, so test suites stay fast. Far too weak against offline
    /// guessing for any real passphrase; never use it for a real user.
    public static let fastForTests = Argon2idProfile(opsLimit: 1, memLimitBytes: 8 << 20)
}
