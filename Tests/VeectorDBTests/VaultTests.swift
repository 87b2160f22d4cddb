import Foundation
import Testing
import VeectorCrypto
import VeectorDB

@Suite("Vault: per-user keys")
struct VaultTests {
    static let pass = Array("correct horse battery staple".utf8)

    /// A fresh vault in its own temporary directory.
    static func makeVault() throws -> Vault {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vault-\(UUID().uuidString)").path
        return Vault(directory: dir)
    }

    static func bytes(of path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func keyBytes(_ key: SecretKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

    @Test func createThenUnlock() throws {
        let vault = try Self.makeVault()
        #expect(try vault.userNames() == [])
        let created = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let unlocked = try vault.unlock(name: "alice", passphrase: Self.pass)
        #expect(unlocked.name == "alice")
        #expect(unlocked.userID == created.userID && unlocked.userID.count == 16)
        #expect(unlocked.masterKey.constantTimeEquals(created.masterKey))
        #expect(try vault.userNames() == ["alice"])
        // Only the key file is left: no temporary files.
        #expect(try FileManager.default.contentsOfDirectory(atPath: vault.directory) == ["alice.vkey"])
    }

    @Test func standardProfileWorks() throws {
        let vault = try Self.makeVault()
        let created = try vault.createUser(name: "bob", passphrase: Self.pass)
        #expect(try vault.unlock(name: "bob", passphrase: Self.pass).masterKey.constantTimeEquals(created.masterKey))
    }

    @Test func wrongPassphraseChangesNothing() throws {
        let vault = try Self.makeVault()
        _ = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let path = vault.keyFilePath(for: "alice")
        let before = try Self.bytes(of: path)
        #expect(throws: VaultError.wrongPassphrase(user: "alice")) { try vault.unlock(name: "alice", passphrase: Array("nope".utf8)) }
        #expect(throws: VaultError.wrongPassphrase(user: "alice")) {
            try vault.changePassphrase(name: "alice", old: Array("nope".utf8), new: Array("new one".utf8))
        }
        #expect(try Self.bytes(of: path) == before)
        #expect(VaultError.wrongPassphrase(user: "alice").description == "wrong passphrase for user 'alice': nothing was changed; try again")
    }

    @Test func changePassphraseKeepsDocumentKeys() throws {
        let vault = try Self.makeVault()
        let user = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let docKey = SecretKey.random()
        let wrapped = user.wrapDocumentKey(docKey, documentID: Array("doc-1".utf8))
        let newPass = Array("a brand new passphrase".utf8)
        try vault.changePassphrase(name: "alice", old: Self.pass, new: newPass, profile: Argon2idProfile(opsLimit: 2, memLimitBytes: 8 << 20))
        #expect(throws: VaultError.wrongPassphrase(user: "alice")) { try vault.unlock(name: "alice", passphrase: Self.pass) }
        let again = try vault.unlock(name: "alice", passphrase: newPass)
        #expect(again.userID == user.userID)
        #expect(try again.unwrapDocumentKey(wrapped, documentID: Array("doc-1".utf8)).constantTimeEquals(docKey))
        #expect(try FileManager.default.contentsOfDirectory(atPath: vault.directory) == ["alice.vkey"])
    }

    @Test func usersAreIsolated() throws {
        let vault = try Self.makeVault()
        let alice = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let bob = try vault.createUser(name: "bob", passphrase: Self.pass, profile: .fastForTests)
        #expect(!alice.masterKey.constantTimeEquals(bob.masterKey))
        #expect(alice.userID != bob.userID)
        #expect(!Self.keyBytes(alice.subkey(purpose: "indexkey")).elementsEqual(Self.keyBytes(bob.subkey(purpose: "indexkey"))))
        let docID = Array("shared-id".utf8)
        let wrapped = alice.wrapDocumentKey(.random(), documentID: docID)
        #expect(throws: VaultError.self) { try bob.unwrapDocumentKey(wrapped, documentID: docID) }
        #expect(try vault.userNames() == ["alice", "bob"])
    }

    @Test func documentKeyCannotMoveToAnotherDocument() throws {
        let vault = try Self.makeVault()
        let user = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let key = SecretKey.random()
        let wrapped = user.wrapDocumentKey(key, documentID: [1, 2, 3])
        #expect(wrapped.count == UnlockedUser.wrappedKeyBytes)
        #expect(try user.unwrapDocumentKey(wrapped, documentID: [1, 2, 3]).constantTimeEquals(key))
        #expect(throws: VaultError.self) { try user.unwrapDocumentKey(wrapped, documentID: [1, 2, 4]) }
        #expect(throws: VaultError.self) { try user.unwrapDocumentKey(Array(wrapped.dropLast()), documentID: [1, 2, 3]) }
        for position in wrapped.indices {
            var bad = wrapped
            bad[position] ^= 0x20
            #expect(throws: VaultError.self) { try user.unwrapDocumentKey(bad, documentID: [1, 2, 3]) }
        }
    }

    @Test func flippedByteIsDamageNotWrongPassphrase() throws {
        let vault = try Self.makeVault()
        _ = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let path = vault.keyFilePath(for: "alice")
        let good = try Self.bytes(of: path)
        for position in good.indices {
            var bad = good
            bad[position] ^= 0x01
            try Self.write(bad, to: path)
            do {
                _ = try vault.unlock(name: "alice", passphrase: Self.pass)
                Issue.record("flipped byte \(position) was not detected")
            } catch {
                guard case .damagedKeyFile = error else { Issue.record("byte \(position): \(error)"); continue }
            }
        }
        try Self.write(good, to: path)
        _ = try vault.unlock(name: "alice", passphrase: Self.pass)
    }

    @Test func truncatedKeyFileIsDamage() throws {
        let vault = try Self.makeVault()
        _ = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let path = vault.keyFilePath(for: "alice")
        let good = try Self.bytes(of: path)
        for length in [0, 3, 4, 10, good.count / 2, good.count - 1] {
            try Self.write(Array(good.prefix(length)), to: path)
            #expect {
                try vault.unlock(name: "alice", passphrase: Self.pass)
            } throws: { error in
                guard case .damagedKeyFile = error as? VaultError else { return false }
                return true
            }
        }
    }

    @Test func keyFileHoldsNoSecrets() throws {
        let vault = try Self.makeVault()
        let user = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let file = try Self.bytes(of: vault.keyFilePath(for: "alice"))
        func contains(_ needle: [UInt8]) -> Bool {
            file.count >= needle.count && (0...(file.count - needle.count)).contains { Array(file[$0 ..< $0 + needle.count]) == needle }
        }
        #expect(!contains(Self.pass))
        #expect(!contains(Self.keyBytes(user.masterKey)))
        #expect(!contains(Array(Self.keyBytes(user.masterKey).prefix(8))))
    }

    @Test func namesAreValidatedAndErrorsHelp() throws {
        let vault = try Self.makeVault()
        for bad in ["", "Alice", "a/b", "..", "al ice", String(repeating: "a", count: 33), "é"] {
            #expect(throws: VaultError.invalidUserName(bad)) { try vault.createUser(name: bad, passphrase: Self.pass, profile: .fastForTests) }
        }
        #expect(Vault.isValidUserName("a-b_9"))
        #expect(Vault.isValidUserName(String(repeating: "z", count: 32)))
        #expect(throws: VaultError.userNotFound("carol", available: [])) { try vault.unlock(name: "carol", passphrase: Self.pass) }
        _ = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        #expect(throws: VaultError.userExists("alice")) { try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests) }
        #expect(throws: VaultError.userNotFound("carol", available: ["alice"])) { try vault.unlock(name: "carol", passphrase: Self.pass) }
        #expect(VaultError.userNotFound("carol", available: ["alice"]).description.contains("alice"))
        #expect(throws: VaultError.self) { try vault.createUser(name: "dave", passphrase: [], profile: .fastForTests) }
    }

    @Test func subkeysAreStable() throws {
        let vault = try Self.makeVault()
        let user = try vault.createUser(name: "alice", passphrase: Self.pass, profile: .fastForTests)
        let again = try vault.unlock(name: "alice", passphrase: Self.pass)
        #expect(user.subkey(purpose: "indexkey").constantTimeEquals(again.subkey(purpose: "indexkey")))
        #expect(!user.subkey(purpose: "indexkey").constantTimeEquals(user.subkey(purpose: "blobkey1")))
    }

    /// The test vector of Spec/vault.md, produced independently in Python with PyNaCl
    /// (argon2id.kdf, crypto_aead_xchacha20poly1305_ietf_encrypt) and a bitwise CRC-32C:
    /// user "alice", user ID 00..0f, profile fastForTests, salt 10..1f, master key 20..3f,
    /// nonce 40..57, passphrase "correct horse battery staple".
    @Test func specVectorUnlocks() throws {
        let vault = try Self.makeVault()
        try FileManager.default.createDirectory(atPath: vault.directory, withIntermediateDirectories: true)
        let hex = "564b45590105616c696365000102030405060708090a0b0c0d0e0f01000000000000000000800000000000101112131415161718191a1b1c1d1e1f404142434445464748494a4b4c4d4e4f5051525354555657705ccc04423f687252d7f9165fde302980182beeb47f769224a50b7da3d5ff417c832ed4494ae6e8cebd213681311e5e4d12ee5d"
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index ..< next], radix: 16)!)
            index = next
        }
        #expect(bytes.count == 135)
        try Self.write(bytes, to: vault.keyFilePath(for: "alice"))
        let user = try vault.unlock(name: "alice", passphrase: Self.pass)
        #expect(user.userID == Array(0..<16))
        #expect(Self.keyBytes(user.masterKey) == Array(0x20..<0x40))
        // The same file under another name is refused: the name inside must match.
        try Self.write(bytes, to: vault.keyFilePath(for: "mallory"))
        #expect(throws: VaultError.self) { try vault.unlock(name: "mallory", passphrase: Self.pass) }
    }
}
