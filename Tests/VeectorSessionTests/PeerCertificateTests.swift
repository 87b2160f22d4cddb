import Testing
import VeectorCrypto
import VeectorIdentity
import VeectorSession
import VeectorWire

/// Sessions check the device certificate a peer presents (Spec/wire.md, "Device certificates in
/// the hello"): the vectors there use the certificate and revocation of Spec/identity.md.
@Suite("Session peer certificates")
struct PeerCertificateTests {
    /// The user and device of Spec/identity.md's vectors, and a second user.
    static let user = try! UserIdentity(seed: Array(0..<32))
    static let device = try! SigningKeyPair(seed: Array(32..<64))
    static let otherUser = try! UserIdentity(seed: [UInt8](repeating: 9, count: 32))
    /// Spec/identity.md: name alice-laptop, valid 1763856000 ..< 1795392000.
    static let certificate = try! user.issueCertificate(devicePublicKey: device.publicKey, deviceName: "alice-laptop",
                                                        issuedAt: 1_763_856_000, expiresAt: 1_795_392_000, capabilities: ["infer", "sync"])
    static let now: Int64 = 1_770_000_000

    /// A certificate by `user` for `key`, valid from 0 to 4e9 (so only the initiator's certificate is at stake).
    static func certificate(for key: SigningKeyPair, by user: UserIdentity = user, name: String = "bob-phone") -> [UInt8] {
        try! user.issueCertificate(devicePublicKey: key.publicKey, deviceName: name, issuedAt: 0, expiresAt: 4_000_000_000).encoded()
    }

    /// A dialling device presenting `certificate` to a responder (Bob, certified by `user`) that checks at `time`.
    static func link(initiator key: SigningKeyPair = device, presenting certificate: [UInt8]?, time: Int64 = now,
                     revocations: RevocationList = RevocationList()) -> Link {
        var ca = SessionConfiguration(role: .initiator, identity: key, certificate: certificate)
        ca.certificateTime = time
        var cb = SessionConfiguration(role: .responder, identity: Keys.bob, certificate: Self.certificate(for: Keys.bob))
        cb.certificateTime = time
        cb.revocations = revocations
        var link = Link(ca, cb, chunk: 13)
        link.connect()
        return link
    }

    @Test func aValidCertificateExposesTheUserAndRecognisesOurDevices() throws {
        let link = Self.link(presenting: Self.certificate.encoded())
        let seenByBob = try #require(link.b.established)
        let seenByDevice = try #require(link.a.established)
        #expect(seenByBob.user == Self.user.publicKey)
        #expect(seenByBob.verifiedCertificate?.body.deviceName == "alice-laptop")
        #expect(seenByBob.verifiedCertificate?.body.capabilities == ["infer", "sync"])
        #expect(seenByDevice.user == Self.user.publicKey)
        // Same user on both ends: each is one of the other's devices; another user's is not.
        #expect(link.b.core.configuration.user == Self.user.publicKey)
        #expect(seenByBob.isDevice(ofUser: link.b.core.configuration.user))
        #expect(seenByDevice.isDevice(ofUser: link.a.core.configuration.user))
        #expect(!seenByBob.isDevice(ofUser: Self.otherUser.publicKey))
        #expect(!seenByBob.isDevice(ofUser: nil))
    }

    @Test func noCertificateMeansNoUser() throws {
        let link = Self.link(presenting: nil)
        let seenByBob = try #require(link.b.established)
        #expect(seenByBob.user == nil && seenByBob.certificate == nil && seenByBob.verifiedCertificate == nil)
        #expect(!seenByBob.isDevice(ofUser: Self.user.publicKey))
        #expect(link.a.core.configuration.user == nil)
    }

    @Test func aForgedSignatureIsRefused() {
        var forged = Self.certificate.encoded()
        // The signature is the last 64-byte string before "3:usr": flip one of its bits.
        let sig = forged.count - 2 - 32 - 6 - 7 - 1
        forged[sig] ^= 0x01
        let link = Self.link(presenting: forged)
        #expect(link.b.established == nil)
        #expect(link.b.closed == .certificateRejected(.badSignature))
    }

    @Test func aCertificateForAnotherDeviceKeyIsRefused() {
        // Mallory replays the device's genuine certificate: the key she proved is not the one it names.
        let link = Self.link(initiator: Keys.mallory, presenting: Self.certificate.encoded())
        #expect(link.b.established == nil)
        #expect(link.b.closed == .certificateRejected(.wrongDevice(expected: Keys.mallory.publicKey.hexString,
                                                                   found: Self.device.publicKey.hexString)))
    }

    @Test func anExpiredOrNotYetValidCertificateIsRefused() {
        let late: Int64 = 1_795_392_000 + 300
        #expect(Self.link(presenting: Self.certificate.encoded(), time: late).b.closed
                == .certificateRejected(.expired(expiresAt: 1_795_392_000, now: late)))
        // Within the 300 s skew it still holds.
        #expect(Self.link(presenting: Self.certificate.encoded(), time: late - 1).b.established != nil)
        let early: Int64 = 1_763_856_000 - 301
        #expect(Self.link(presenting: Self.certificate.encoded(), time: early).b.closed
                == .certificateRejected(.notYetValid(issuedAt: 1_763_856_000, now: early)))
    }

    @Test func aRevokedDeviceIsRefused() throws {
        var revocations = RevocationList()
        try revocations.add(Self.user.revoke(devicePublicKey: Self.device.publicKey, revokedAt: Self.now, reason: "lost"))
        let link = Self.link(presenting: Self.certificate.encoded(), revocations: revocations)
        #expect(link.b.established == nil)
        #expect(link.b.closed == .certificateRejected(.revoked(revokedAt: Self.now, reason: "lost")))
        // Before the revocation time the device is still accepted.
        #expect(Self.link(presenting: Self.certificate.encoded(), time: Self.now - 1, revocations: revocations).b.established != nil)
    }

    @Test func aMalformedCertificateIsRefused() {
        let link = Self.link(presenting: Array("not a certificate".utf8))
        guard case .certificateRejected(.malformed)? = link.b.closed else {
            Issue.record("expected a malformed-certificate refusal, got \(String(describing: link.b.closed))")
            return
        }
        #expect(link.b.closed.map { $0.description.contains("certificate was refused") } == true)
    }

    @Test func theInitiatorRefusesABadResponderCertificateBeforeRevealingItself() {
        var ca = SessionConfiguration(role: .initiator, identity: Self.device, certificate: Self.certificate.encoded())
        ca.certificateTime = Self.now
        // Bob presents a certificate made out to Mallory's key.
        var cb = SessionConfiguration(role: .responder, identity: Keys.bob, certificate: Self.certificate(for: Keys.mallory))
        cb.certificateTime = Self.now
        var link = Link(ca, cb)
        link.connect()
        #expect(link.a.closed == .certificateRejected(.wrongDevice(expected: Keys.bob.publicKey.hexString,
                                                                   found: Keys.mallory.publicKey.hexString)))
        #expect(link.b.established == nil)
        // Only messages 1 (from a) and 2 (from b) crossed: a never sent message 3 with its hello.
        #expect(link.a.transcript.count == 2 + 32)
    }

    @Test func withoutAClockACertificateCannotBeJudged() {
        let ca = SessionConfiguration(role: .initiator, identity: Self.device, certificate: Self.certificate.encoded())
        var link = Link(ca, SessionConfiguration(role: .responder, identity: Keys.bob))
        link.connect()
        guard case .local(let why)? = link.b.closed else {
            Issue.record("expected a local refusal, got \(String(describing: link.b.closed))")
            return
        }
        #expect(why.contains("certificateTime"))
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hex, as IdentityError's messages spell keys.
    var hexString: String { hex }
}
