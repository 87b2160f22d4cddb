import ContentID
import Foundation
import Testing
import VeectorCrypto
import VeectorDB
import VeectorIdentity
import VeectorNode

/// Share records, revocations, sealed keys and share files (Spec/sharing.md), against the spec's
/// vectors (recomputed independently by Tests/Reference/sharing_vectors.py) and every way of
/// getting them wrong.
@Suite("Sharing: records, sealed keys, share files")
struct ShareRecordTests {
    static let sender = try! SigningKeyPair(seed: Array(0x00...0x1f))
    static let recipient = try! SigningKeyPair(seed: Array(0x20...0x3f))
    static let document = DocumentID(bytes: Array(0x30...0x3f))!
    static let sealedKey: [UInt8] = (0..<113).map { UInt8((0x80 + $0) & 0xff) }

    static func body(version: UInt64 = 1, expiresAt: Int64? = 1_795_604_800) throws -> ShareRecord.Body {
        try ShareRecord.Body(senderPublicKey: sender.publicKey, recipientPublicKey: recipient.publicKey, documentID: document, version: version,
                             packages: [try CID(Vector.packageCID)], packageBytes: Vector.packageBytes, sealedKey: sealedKey,
                             createdAt: 1_795_000_000, expiresAt: expiresAt)
    }

    /// The error `body` throws, which must be a `ShareError`.
    static func shareError(_ body: () throws -> Void) -> ShareError? {
        do { try body() } catch let e as ShareError { return e } catch { Issue.record("not a ShareError: \(error)") }
        return nil
    }

    @Test func recordVector() throws {
        let record = try ShareRecord(signing: try Self.body(), with: Self.sender)
        #expect(record.signature.hexString == Vector.recordSignatureHex)
        #expect(record.encoded().hexString == Vector.recordHex)
        #expect(record.id.description == Vector.shareID)
        let decoded = try ShareRecord(decoding: try #require([UInt8](hex: Vector.recordHex)))
        #expect(decoded == record)
        try decoded.verify(recipient: Self.recipient.publicKey, now: 1_795_000_100)
    }

    @Test func revocationVector() throws {
        let body = try ShareRevocation.Body(senderPublicKey: Self.sender.publicKey, recipientPublicKey: Self.recipient.publicKey,
                                            documentID: Self.document, revokedAt: 1_795_100_000)
        let revocation = try ShareRevocation(signing: body, with: Self.sender)
        #expect(revocation.encoded().hexString == Vector.revocationHex)
        let decoded = try ShareRevocation(decoding: try #require([UInt8](hex: Vector.revocationHex)))
        #expect(decoded == revocation)
        try decoded.verify()
        var forged = revocation.encoded()
        forged[forged.count - 20] ^= 1
        #expect(Self.shareError { try ShareRevocation(decoding: forged).verify() }.map { if case .badSignature = $0 { true } else { false } } == true)
    }

    @Test func verificationRefusesChangedMisaddressedAndStaleRecords() throws {
        let record = try ShareRecord(signing: try Self.body(), with: Self.sender)
        let to = Self.recipient.publicKey
        // Any changed byte of the signed part: bad signature (or no longer parses).
        var changed = record.encoded()
        let at = changed.indices.first { changed[$0] == 0x80 }!
        changed[at] ^= 1
        let e1 = Self.shareError { try ShareRecord(decoding: changed).verify(recipient: to, now: 1_795_000_000) }
        guard case .badSignature = e1 else { Issue.record("expected badSignature, got \(String(describing: e1))"); return }
        // A signature moved onto another body.
        let moved = try ShareRecord(signing: try Self.body(version: 2), with: Self.sender)
        #expect(moved.signature != record.signature)
        // Addressed to someone else.
        let other = SigningKeyPair.generate().publicKey
        guard case .wrongRecipient = Self.shareError({ try record.verify(recipient: other, now: 1_795_000_000) }) else {
            Issue.record("expected wrongRecipient"); return
        }
        // Times: five minutes of skew either side are tolerated, no more.
        try record.verify(recipient: to, now: 1_795_000_000 - 300)
        guard case .notYetValid = Self.shareError({ try record.verify(recipient: to, now: 1_795_000_000 - 301) }) else {
            Issue.record("expected notYetValid"); return
        }
        try record.verify(recipient: to, now: 1_795_604_800 + 299)
        guard case .expired = Self.shareError({ try record.verify(recipient: to, now: 1_795_604_800 + 300) }) else {
            Issue.record("expected expired"); return
        }
        // Signed by a key that is not the sender's.
        #expect(Self.shareError { _ = try ShareRecord(signing: try Self.body(), with: Self.recipient) } != nil)
    }

    @Test func parsingIsStrict() throws {
        let good = try ShareRecord(signing: try Self.body(expiresAt: nil), with: Self.sender).encoded()
        /// `good` with the first occurrence of `a` replaced by `b` (byte for byte: the record is not UTF-8).
        func replacing(_ a: String, _ b: String) -> [UInt8] {
            let n = Array(a.utf8)
            guard let i = (0...(good.count - n.count)).first(where: { Array(good[$0..<($0 + n.count)]) == n }) else { return [] }
            return Array(good[..<i]) + Array(b.utf8) + Array(good[(i + n.count)...])
        }
        func malformedField(_ bytes: [UInt8]) -> String? {
            guard case let .malformed(field, _) = Self.shareError({ _ = try ShareRecord(decoding: bytes) }) else { return nil }
            return field
        }
        #expect(try ShareRecord(decoding: good).body.expiresAt == nil)
        #expect(malformedField(Array(good.dropLast())) != nil)                              // cut short
        #expect(malformedField(good + [0x65]) != nil)                                       // trailing bytes
        #expect(malformedField(replacing("1:vi1e", "1:vi2e")) == "v")
        #expect(malformedField(replacing("3:veri1e", "3:veri0e")) == "ver")
        #expect(malformedField(replacing("3:veri1ee", "3:veri1e1:zi0ee")) == "z")
        #expect(malformedField(replacing("3:veri1e", "3:veri01e")) != nil)  // non-canonical integer
        #expect(malformedField(replacing("3:key113:", "3:key112:")) != nil)
        #expect(malformedField([UInt8](repeating: 0x64, count: 3000)) == "share record")      // too large
    }

    @Test func sealedKeyOpensOnlyForTheRecipientAndBindsTheSender() throws {
        let alice = UserIdentity.generate(), bob = UserIdentity.generate(), carol = UserIdentity.generate()
        let key = SecretKey.random()
        let sealed = try ShareKeySeal.seal(key, from: alice.publicKey, to: bob.publicKey)
        #expect(sealed.count == ShareKeySeal.sealedBytes)
        #expect(try ShareKeySeal.open(sealed, recipient: bob, expectedSender: alice.publicKey).constantTimeEquals(key))
        guard case .keyRejected = Self.shareError({ _ = try ShareKeySeal.open(sealed, recipient: carol, expectedSender: alice.publicKey) }) else {
            Issue.record("expected keyRejected for a third user"); return
        }
        guard case .senderMismatch = Self.shareError({ _ = try ShareKeySeal.open(sealed, recipient: bob, expectedSender: carol.publicKey) }) else {
            Issue.record("expected senderMismatch"); return
        }
        var flipped = sealed
        flipped[40] ^= 1
        guard case .keyRejected = Self.shareError({ _ = try ShareKeySeal.open(flipped, recipient: bob, expectedSender: alice.publicKey) }) else {
            Issue.record("expected keyRejected for a changed box"); return
        }
        // Not a point on the curve: refused before anything is sealed.
        guard case .invalidKey = Self.shareError({ _ = try ShareKeySeal.seal(key, from: alice.publicKey, to: [UInt8](repeating: 0xff, count: 32)) }) else {
            Issue.record("expected invalidKey"); return
        }
    }

    @Test func shareFileRoundTripsAndRefusesDamage() throws {
        let share = ShareFile.share(record: [1, 2, 3], package: [4, 5, 6, 7])
        #expect(try ShareFile(decoding: share.encoded(), path: "f") == share)
        let revocation = ShareFile.revocation([9, 9])
        #expect(try ShareFile(decoding: revocation.encoded(), path: "f") == revocation)
        for bad in [Array(share.encoded().dropLast()), share.encoded() + [0], Array("VSHX".utf8) + share.encoded().dropFirst(4), [UInt8](),
                    revocation.encoded() + [1]] {
            guard case .badFile = Self.shareError({ _ = try ShareFile(decoding: bad, path: "f") }) else {
                Issue.record("expected badFile for \(bad.count) bytes"); continue
            }
        }
    }
}

/// Spec/sharing.md's vectors (produced by Tests/Reference/sharing_vectors.py).
enum Vector {
    static let recordSignatureHex = "a5214872e99dda6f3b43732262845662005ac54d70c500c244f79e21f7973ba76168fb0ce8674fb44cb272ca0c6afbf906c756f019e4c527d16c6bdfe27f3906"
    static let recordHex = "64323a6174693137393530303030303065333a646f6331363a303132333435363738393a3b3c3d3e3f333a657870693137393536303438303065333a66726d33323a03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8333a6b65793131333a808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0333a6c656e6934333165333a706b676c33363a0155122029fe7258469991cc8bdf0840741c3ccd801422e678b401f6c64db69bde7fd4e365333a73696736343aa5214872e99dda6f3b43732262845662005ac54d70c500c244f79e21f7973ba76168fb0ce8674fb44cb272ca0c6afbf906c756f019e4c527d16c6bdfe27f3906323a746f33323a29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7313a76693165333a76657269316565"
    static let shareID = "zkiv3ztjaels6x3zft4lg5k3hy"
    static let revocationHex = "64333a646f6331363a303132333435363738393a3b3c3d3e3f333a66726d33323a03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8333a726174693137393531303030303065333a73696736343ab0a9dd5fb294a3011d42373d3ef1b0a4589bc2deb819f870650aeae647459728b6147630e89a9d903a9f5fab88e6124f5c8aa5fae4053627dba4d991d3e19101323a746f33323a29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7313a7669316565"
    static let packageCID = "bafkreibj7zzfqruzshgixxyiib2bypgnqakcfztywqa7nrsnw2n5476u4m"
    static let packageBytes: UInt64 = 431
}
