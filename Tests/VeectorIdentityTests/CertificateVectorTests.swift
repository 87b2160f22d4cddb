import Testing
import VeectorCrypto
import VeectorIdentity
import VeectorWire

/// The test vectors of Spec/identity.md (fixed seeds → exact bytes), cross-checked by
/// Tests/Reference/identity_vectors.py (PyNaCl, written from the spec).
@Suite("Identity test vectors")
struct CertificateVectorTests {
    static let user = try! UserIdentity(seed: Array(0..<32))
    static let device = try! DeviceIdentity(seed: Array(32..<64))
    static let certificateHex = "64333a6361706c353a696e666572343a73796e6365333a64657633323a29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7333a657870693137393533393230303065333a696174693137363338353630303065343a6e616d6531323a616c6963652d6c6170746f70333a73696736343a027a2e7e710502f3c6b148732c9259285524fe2fe83e3b2693e9c3512212ac674ac6e91319f7b5d134f873984367119395f9d3f6424491ed008e35b2c40ab300333a75737233323a03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8313a7669316565"
    static let revocationHex = "64333a64657633323a29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7333a726174693137373030303030303065333a72736e343a6c6f7374333a73696736343a071e31b8f440a4d8a37174a0425da42704316b1ec3b81aeb40d98db1f588b6866b8e345e349ca55d3f97a42bc79fe87ba502558ce9076b7d106ae6c119798003333a75737233323a03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8313a7669316565"

    @Test func keysAndNodeID() {
        #expect(Self.user.publicKey.hex == "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8")
        #expect(Self.device.publicKey.hex == "29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7")
        #expect(Self.device.nodeID().description == "1c2ad0de9432804d0efc3e417835fbb792113a9b")
        // With a public address the ID gets BEP 42's prefix and stays derivable from the key.
        let ip = IPv4Address(124, 31, 75, 21)
        let id = Self.device.nodeID(externalAddress: ip)
        #expect(id.isBEP42Valid(for: ip))
        #expect(id.isDerived(fromPublicKey: Self.device.publicKey, externalAddress: ip))
    }

    @Test func certificateBytesMatchTheSpec() throws {
        let cert = try Self.user.issueCertificate(devicePublicKey: Self.device.publicKey, deviceName: "alice-laptop",
                                                  issuedAt: 1_763_856_000, expiresAt: 1_795_392_000, capabilities: ["sync", "infer", "sync"])
        #expect(cert.body.capabilities == ["infer", "sync"])
        #expect(cert.signature.hex == "027a2e7e710502f3c6b148732c9259285524fe2fe83e3b2693e9c3512212ac674ac6e91319f7b5d134f873984367119395f9d3f6424491ed008e35b2c40ab300")
        #expect(cert.encoded().hex == Self.certificateHex)
        let decoded = try DeviceCertificate(decoding: [UInt8](hex: Self.certificateHex))
        #expect(decoded == cert)
        try decoded.verify(now: 1_770_000_000, expectedUser: Self.user.publicKey)
    }

    @Test func revocationBytesMatchTheSpec() throws {
        let entry = try Self.user.revoke(devicePublicKey: Self.device.publicKey, revokedAt: 1_770_000_000, reason: "lost")
        #expect(entry.encoded().hex == Self.revocationHex)
        let decoded = try RevocationEntry(decoding: [UInt8](hex: Self.revocationHex))
        #expect(decoded == entry)
        try decoded.verify()
    }
}
