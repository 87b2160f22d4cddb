import Testing
import VeectorCrypto

@Suite("Argon2id password KDF")
struct PasswordKDFTests {
    static let passphrase = Array("correct horse battery staple".utf8)
    static let salt = [UInt8](0..<16)

    /// Vectors produced with PyNaCl 1.5 (libsodium) in a throwaway venv:
    /// nacl.pwhash.argon2id.kdf(32, b"correct horse battery staple", bytes(range(16)),
    ///                          opslimit=OPS, memlimit=MEM).hex()
    @Test func fastProfileMatchesPyNaCl() throws {
        let key = try PasswordKDF.deriveKey(passphrase: Self.passphrase, salt: Self.salt, profile: .fastForTests)
        #expect(key.withUnsafeBytes { Array($0) } == [UInt8](hex: "9aeef75313e585f492c33c5e12d82e9ad253b7dd78632d537e899cd4eddd789c"))
    }

    @Test func standardProfileMatchesPyNaCl() throws {
        let key = try PasswordKDF.deriveKey(passphrase: Self.passphrase, salt: Self.salt, profile: .standard)
        #expect(key.withUnsafeBytes { Array($0) } == [UInt8](hex: "0d1a3c6523c8f06e4e0af9c515aa5b5448cfebd6838f2d52c3d8b6ef8ddc3c2e"))
    }

    @Test func differentSaltOrPassphraseGivesDifferentKey() throws {
        let a = try PasswordKDF.deriveKey(passphrase: Self.passphrase, salt: Self.salt, profile: .fastForTests)
        let b = try PasswordKDF.deriveKey(passphrase: Self.passphrase, salt: [UInt8](repeating: 7, count: 16), profile: .fastForTests)
        let c = try PasswordKDF.deriveKey(passphrase: Array("Correct horse battery staple".utf8), salt: Self.salt, profile: .fastForTests)
        #expect(!a.constantTimeEquals(b))
        #expect(!a.constantTimeEquals(c))
    }

    @Test func badParametersAreRejected() {
        #expect(throws: CryptoError.self) { try PasswordKDF.deriveKey(passphrase: [1], salt: [1, 2], profile: .fastForTests) }
        #expect(throws: CryptoError.self) {
            try PasswordKDF.deriveKey(passphrase: [1], salt: Self.salt, profile: Argon2idProfile(opsLimit: 0, memLimitBytes: 8 << 20))
        }
        #expect(throws: CryptoError.self) {
            try PasswordKDF.deriveKey(passphrase: [1], salt: Self.salt, profile: Argon2idProfile(opsLimit: 1, memLimitBytes: 1024))
        }
    }

    @Test func profilesAreWhatTheSpecSays() {
        #expect(Argon2idProfile.standard == Argon2idProfile(opsLimit: 3, memLimitBytes: 64 * 1024 * 1024))
        #expect(Argon2idProfile.fastForTests == Argon2idProfile(opsLimit: 1, memLimitBytes: 8 * 1024 * 1024))
    }
}
