import Foundation
import Testing
import VeectorCrypto
import VeectorDB
import VeectorIdentity
import VeectorNode
import VeectorTestSupport

/// Identities and certificates kept in a real node home (real VeectorDB, real vault, real Argon2id
/// with the fast test profile).
@Suite("Node identity storage", .serialized)
struct NodeIdentityStoreTests {
    static let passphrase = Array("correct horse battery staple".utf8)

    @Test func deviceIdentityIsCreatedOnceAndSurvivesReopening() throws {
        let dir = TemporaryDirectory(prefix: "node-identity")
        let home = dir.path + "/home"
        let (node, _) = try NodeHome.initialize(at: home, user: "alice", passphrase: Self.passphrase, profile: .fastForTests)
        let first = try node.deviceIdentity()
        let again = try node.deviceIdentity()
        #expect(first.publicKey == again.publicKey)
        try node.close()

        let reopened = try NodeHome.open(at: home)
        defer { try? reopened.close() }
        #expect(try reopened.deviceIdentity().publicKey == first.publicKey)
        // The device key needs no passphrase; the seed is not stored anywhere else in the home.
        #expect(try reopened.deviceIdentity().nodeID() == first.nodeID())
    }

    @Test func userKeyIsSealedUnderTheVaultAndCertificatesAreStored() throws {
        let dir = TemporaryDirectory(prefix: "node-identity")
        let home = dir.path + "/home"
        let (node, _) = try NodeHome.initialize(at: home, user: "alice", passphrase: Self.passphrase, profile: .fastForTests)
        let device = try node.deviceIdentity()
        let cert = try node.issueCertificate(for: device.publicKey, deviceName: "alice-laptop", passphrase: Self.passphrase,
                                             issuedAt: 1_763_856_000, capabilities: ["sync"])
        let user = try node.userIdentity(passphrase: Self.passphrase)
        #expect(cert.body.userPublicKey == user.publicKey)
        try cert.verify(now: 1_763_856_100, expectedUser: user.publicKey)

        // A second device of the same user.
        let phone = DeviceIdentity.generate()
        _ = try node.issueCertificate(for: phone.publicKey, deviceName: "alice-phone", passphrase: Self.passphrase,
                                      issuedAt: 1_763_856_000, expiresAt: 1_763_956_000)
        #expect(try node.certificates().count == 2)

        // Wrong passphrase: refused, nothing created.
        do {
            _ = try node.userIdentity(passphrase: Array("wrong".utf8))
            Issue.record("a wrong passphrase unlocked the user identity")
        } catch {
            guard case .vault(.wrongPassphrase) = error else { Issue.record("unexpected \(error)"); return }
        }
        try node.close()

        // The database files (which hold the device seed) are private to the node's user.
        for file in listDirectory(home + "/db") {
            let attributes = try FileManager.default.attributesOfItem(atPath: home + "/db/" + file)
            if attributes[.type] as? FileAttributeType == .typeRegular {
                #expect((attributes[.posixPermissions] as? Int ?? 0o777) & 0o077 == 0, "\(file) is readable by others")
            }
        }
        // The user seed never appears in clear in the database files.
        let seed = user.keyPair.seed.withUnsafeBytes { Array($0) }
        for file in listDirectory(home + "/db") {
            let bytes = readBytes(home + "/db/" + file)
            #expect(!contains(bytes, seed), "the user seed is in clear in \(file)")
        }

        let reopened = try NodeHome.open(at: home)
        defer { try? reopened.close() }
        #expect(try reopened.userIdentity(passphrase: Self.passphrase).publicKey == user.publicKey)
        let stored = try reopened.certificates()
        #expect(stored.contains(cert))
        for c in stored { try c.verify(now: 1_763_856_100, expectedUser: user.publicKey) }
    }

    @Test func eachUserHasTheirOwnIdentity() throws {
        let dir = TemporaryDirectory(prefix: "node-identity")
        let (node, _) = try NodeHome.initialize(at: dir.path + "/home", user: "alice", passphrase: Self.passphrase, profile: .fastForTests)
        defer { try? node.close() }
        try node.addUser("bob", passphrase: Array("bob's passphrase".utf8), profile: .fastForTests)
        let alice = try node.userIdentity(user: "alice", passphrase: Self.passphrase)
        let bob = try node.userIdentity(user: "bob", passphrase: Array("bob's passphrase".utf8))
        #expect(alice.publicKey != bob.publicKey)
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}
