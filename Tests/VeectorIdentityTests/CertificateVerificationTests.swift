import Testing
import VeectorCrypto
import VeectorIdentity
import VeectorWire

/// Verification refuses every kind of bad certificate with the error that names the problem.
@Suite("Device certificate verification")
struct CertificateVerificationTests {
    let user = UserIdentity.generate()
    let device = DeviceIdentity.generate()

    func issue(iat: Int64 = 1_000_000, exp: Int64 = 2_000_000) throws -> DeviceCertificate {
        try user.issueCertificate(devicePublicKey: device.publicKey, deviceName: "phone", issuedAt: iat, expiresAt: exp, capabilities: ["sync"])
    }

    @Test func validCertificateVerifies() throws {
        try issue().verify(now: 1_500_000, expectedUser: user.publicKey)
    }

    @Test func everyChangedByteIsRefused() throws {
        let bytes = try issue().encoded()
        for i in bytes.indices {
            var tampered = bytes
            tampered[i] ^= 0x01
            // Either it no longer parses, or its signature fails: never accepted.
            var outcome: IdentityError? = nil
            do throws(IdentityError) {
                try DeviceCertificate(decoding: tampered).verify(now: 1_500_000)
            } catch { outcome = error }
            #expect(outcome != nil, "byte \(i) changed and the certificate still verified")
        }
    }

    @Test func badSignature() throws {
        let cert = try issue()
        // Re-sign the same body with another user key but keep the original user key in it.
        let impostor = UserIdentity.generate()
        let forged = try impostor.issueCertificate(devicePublicKey: device.publicKey, deviceName: "phone", issuedAt: 1_000_000,
                                                   expiresAt: 2_000_000, capabilities: ["sync"])
        let swapped = cert.encoded().replacing(forged.signature, with: cert.signature)
        #expect(swapped == cert.encoded())
        let bytes = cert.encoded().replacing(cert.signature, with: forged.signature)
        #expect(throws: IdentityError.badSignature) { try DeviceCertificate(decoding: bytes).verify(now: 1_500_000) }
    }

    @Test func expiredAndNotYetValid() throws {
        let cert = try issue()
        #expect(throws: IdentityError.expired(expiresAt: 2_000_000, now: 2_000_300)) {
            try cert.verify(now: 2_000_300)
        }
        try cert.verify(now: 2_000_299)  // within the 300 s skew
        #expect(throws: IdentityError.notYetValid(issuedAt: 1_000_000, now: 999_699)) {
            try cert.verify(now: 999_699)
        }
        #expect(throws: IdentityError.expired(expiresAt: 2_000_000, now: 2_000_000)) {
            try cert.verify(now: 2_000_000, allowedClockSkew: 0)
        }
    }

    @Test func wrongUser() throws {
        let other = UserIdentity.generate()
        #expect(throws: IdentityError.self) { try issue().verify(now: 1_500_000, expectedUser: other.publicKey) }
        let cert = try issue()
        do throws(IdentityError) { try cert.verify(now: 1_500_000, expectedUser: other.publicKey) } catch {
            guard case .wrongUser = error else { Issue.record("expected wrongUser, got \(error)"); return }
        }
    }

    @Test func aCertificateCopiedToAnotherDeviceIsRefused() throws {
        let cert = try issue()
        try cert.verify(now: 1_500_000, expectedDevice: device.publicKey)
        let thief = DeviceIdentity.generate()
        #expect(throws: IdentityError.wrongDevice(expected: thief.publicKey.hex, found: device.publicKey.hex)) {
            try cert.verify(now: 1_500_000, expectedDevice: thief.publicKey)
        }
    }

    @Test func revokedDeviceIsRefusedFromTheRevocationTime() throws {
        let cert = try issue()
        var list = RevocationList()
        try list.add(user.revoke(devicePublicKey: device.publicKey, revokedAt: 1_600_000, reason: "stolen"))
        try cert.verify(now: 1_599_999, revocations: list)
        #expect(throws: IdentityError.revoked(revokedAt: 1_600_000, reason: "stolen")) {
            try cert.verify(now: 1_600_000, revocations: list)
        }
        // A revocation signed by someone else is refused on entry.
        let impostor = UserIdentity.generate()
        let fake = try impostor.revoke(devicePublicKey: device.publicKey, revokedAt: 1)
        let forged = try RevocationEntry(decoding: fake.encoded().replacing(impostor.publicKey, with: user.publicKey))
        var other = RevocationList()
        #expect(throws: IdentityError.badSignature) { try other.add(forged) }
        #expect(other.count == 0)
    }

    @Test func malformedInputGetsTypedErrors() throws {
        let good = try issue().encoded()
        let cases: [[UInt8]] = [
            [], Array("i1e".utf8), Array("de".utf8), Array(good.dropLast()),
            Array(good.dropLast()) + Array("5:extrai1ee".utf8),
            [UInt8](repeating: 0x61, count: 2000),
        ]
        for bytes in cases {
            do {
                _ = try DeviceCertificate(decoding: bytes)
                Issue.record("accepted \(bytes.prefix(20))")
            } catch {
                guard case .malformed = error else { Issue.record("expected malformed, got \(error)"); continue }
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func issuingRefusesBadFields() {
        #expect(throws: IdentityError.self) {
            try user.issueCertificate(devicePublicKey: device.publicKey, deviceName: "", issuedAt: 1, expiresAt: 2)
        }
        #expect(throws: IdentityError.self) {
            try user.issueCertificate(devicePublicKey: device.publicKey, deviceName: "x", issuedAt: 5, expiresAt: 5)
        }
        #expect(throws: IdentityError.self) {
            try user.issueCertificate(devicePublicKey: device.publicKey, deviceName: "x", issuedAt: 1, expiresAt: 2, capabilities: ["Bad Cap"])
        }
        #expect(throws: IdentityError.invalidKey(what: "device public key", expected: 32, got: 3)) {
            try user.issueCertificate(devicePublicKey: [1, 2, 3], deviceName: "x", issuedAt: 1, expiresAt: 2)
        }
    }
}
