import Testing
import VeectorCrypto
import VeectorIdentity
import VeectorNode
import VeectorSession
import VeectorTestSupport

/// The certificate and revocations a node home gives its sessions (`NodeHome.sessionCredentials`),
/// from a real home (real VeectorDB, real vault with the fast test profile).
@Suite("Node session credentials", .serialized)
struct SessionCredentialsTests {
    static let passphrase = Array("correct horse battery staple".utf8)
    static let now: Int64 = 1_770_000_000

    @Test func theValidCertificateOfThisDeviceAndTheStoredRevocationsReachTheConfiguration() throws {
        let dir = TemporaryDirectory(prefix: "session-credentials")
        let (home, _) = try NodeHome.initialize(at: dir.path + "/home", user: "alice", passphrase: Self.passphrase, profile: .fastForTests)
        defer { try? home.close() }
        let device = try home.deviceIdentity()

        // No certificate yet: nothing to present.
        #expect(try home.sessionCredentials(now: Self.now) == SessionCredentials(certificate: nil, revocations: RevocationList()))

        // An expired one, a current one, and one for another device: the current one of ours is chosen.
        _ = try home.issueCertificate(for: device.publicKey, deviceName: "old", passphrase: Self.passphrase,
                                      issuedAt: Self.now - 200_000, expiresAt: Self.now - 100_000)
        let other = try UserIdentity(seed: [UInt8](repeating: 7, count: 32))
        let current = try other.issueCertificate(devicePublicKey: device.publicKey, deviceName: "laptop",
                                                 issuedAt: Self.now - 10, expiresAt: Self.now + 86_400)
        try home.storeCertificate(current)
        let phone = DeviceIdentity.generate()
        _ = try home.issueCertificate(for: phone.publicKey, deviceName: "phone", passphrase: Self.passphrase, issuedAt: Self.now - 10)
        var credentials = try home.sessionCredentials(now: Self.now)
        #expect(credentials.certificate == current)
        #expect(credentials.user == other.publicKey)
        // Asking for the vault user's certificate finds none valid (theirs expired).
        let alice = try home.userIdentity(passphrase: Self.passphrase)
        #expect(try home.sessionCredentials(now: Self.now, user: alice.publicKey).certificate == nil)

        // Alice revokes her phone: the revocation is stored and handed to sessions.
        let revocation = try home.revokeDevice(phone.publicKey, passphrase: Self.passphrase, revokedAt: Self.now - 5, reason: "lost")
        credentials = try home.sessionCredentials(now: Self.now)
        #expect(credentials.revocations.revocation(of: phone.publicKey, by: alice.publicKey) == revocation)
        var configuration = SessionConfiguration(role: .responder, identity: device.keyPair)
        credentials.apply(to: &configuration)
        #expect(configuration.certificate == current.encoded())
        #expect(configuration.user == other.publicKey)
        #expect(configuration.revocations.count == 1)

        // Revoking our own device removes its certificate from what we present.
        try home.storeRevocation(try other.revoke(devicePublicKey: device.publicKey, revokedAt: Self.now - 1))
        #expect(try home.sessionCredentials(now: Self.now).certificate == nil)
    }

    @Test func aCertificateOrRevocationWithABadSignatureIsNotStored() throws {
        let dir = TemporaryDirectory(prefix: "session-credentials")
        let (home, _) = try NodeHome.initialize(at: dir.path + "/home", user: "alice", passphrase: Self.passphrase, profile: .fastForTests)
        defer { try? home.close() }
        let user = UserIdentity.generate()
        let device = try home.deviceIdentity()
        var bytes = try user.issueCertificate(devicePublicKey: device.publicKey, deviceName: "laptop", issuedAt: Self.now - 10,
                                              expiresAt: Self.now + 10).encoded()
        bytes[bytes.count - 48] ^= 1
        #expect(throws: NodeIdentityError.self) { try home.storeCertificate(try DeviceCertificate(decoding: bytes)) }
        var revocation = try user.revoke(devicePublicKey: device.publicKey, revokedAt: Self.now).encoded()
        revocation[revocation.count - 48] ^= 1
        #expect(throws: NodeIdentityError.self) { try home.storeRevocation(try RevocationEntry(decoding: revocation)) }
        #expect(try home.certificates().isEmpty)
        #expect(try home.revocations().count == 0)
    }
}
