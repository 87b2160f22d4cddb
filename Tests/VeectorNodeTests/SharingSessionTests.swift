import Foundation
import Testing
import VeectorCrypto
import VeectorDB
import VeectorNode
import VeectorTestSupport

/// Sharing between three real node homes through the library: the functions every transport
/// (share file today, gossip and fetch later) calls.
@Suite("Sharing: sessions between node homes", .serialized)
struct SharingSessionTests {
    static let now: Int64 = 1_795_000_000

    final class Peer: @unchecked Sendable {
        let dir = TemporaryDirectory(prefix: "veector-sharing")
        let home: NodeHome
        let session: SharingSession
        init(_ name: String) throws {
            let pass = Array("passphrase of \(name)".utf8)
            home = try NodeHome.initialize(at: dir.path + "/home", user: name, passphrase: pass, profile: .fastForTests).0
            session = try home.sharing(passphrase: pass)
        }
        deinit { try? home.close() }
    }

    static func error(_ body: () throws -> Void) -> ShareError? {
        do { try body() } catch let e as ShareError { return e } catch { Issue.record("not a ShareError: \(error)") }
        return nil
    }

    static func text() -> [UInt8] {
        Array(String(repeating: "PATIENT-SECRET-7741: the scan on the 14th was clear. ", count: 9000).utf8)
    }

    @Test func sharedDocumentArrivesAndOpensOnlyForItsRecipient() throws {
        let alice = try Peer("alice"), bob = try Peer("bob"), carol = try Peer("carol")
        let content = Self.text()
        let info = try alice.session.documents.add(content, title: "Diagnosis-Letter-QZ93")
        let id = try #require(DocumentID(info.id))
        let sent = try alice.session.share(id, to: bob.session.publicKey, createdAt: Self.now)
        #expect(sent.record.body.version == 1 && sent.document.title == "Diagnosis-Letter-QZ93")
        #expect(try alice.session.outbox().map(\.id) == [sent.record.id.description])

        // Carol gets the record and package too (they travel in the open): refused, nothing stored.
        guard case .wrongRecipient = Self.error({ _ = try carol.session.importShare(sent.record, package: sent.package, now: Self.now, received: Date()) }) else {
            Issue.record("expected wrongRecipient"); return
        }
        #expect(try carol.session.received().isEmpty)

        let received = try bob.session.importShare(sent.record, package: sent.package, now: Self.now + 60, received: Date())
        #expect(received.title == "Diagnosis-Letter-QZ93" && received.from == alice.session.publicKey.hexString && !received.revoked)
        let item = try bob.session.inbox.resolve(received.id)
        #expect(try bob.session.inbox.read(item).bytes == content)
        // Again: the same item, not a second one.
        _ = try bob.session.importShare(sent.record, package: sent.package, now: Self.now + 60, received: Date())
        #expect(try bob.session.received().count == 1)
    }

    @Test func forgedAndTamperedSharesAreRefusedAndNothingIsImported() throws {
        let alice = try Peer("alice"), bob = try Peer("bob"), mallory = try Peer("mallory")
        let info = try alice.session.documents.add(Self.text(), title: "letter")
        let sent = try alice.session.share(DocumentID(info.id)!, to: bob.session.publicKey, createdAt: Self.now)
        let b = sent.record.body

        // Mallory lifts Alice's sealed key into a record she signs herself: the sealed key names Alice.
        let lifted = try ShareRecord(signing: ShareRecord.Body(senderPublicKey: mallory.session.publicKey, recipientPublicKey: b.recipientPublicKey,
                                                               documentID: b.documentID, version: b.version, packages: b.packages,
                                                               packageBytes: b.packageBytes, sealedKey: b.sealedKey, createdAt: b.createdAt,
                                                               expiresAt: nil), with: mallory.session.identity.keyPair)
        guard case .senderMismatch = Self.error({ _ = try bob.session.importShare(lifted, package: sent.package, now: Self.now, received: Date()) }) else {
            Issue.record("expected senderMismatch"); return
        }
        // A changed package byte: its content ID no longer matches the record.
        var package = sent.package
        package[package.count / 2] ^= 0x20
        guard case .package(.contentIDMismatch) = Self.error({ _ = try bob.session.importShare(sent.record, package: package, now: Self.now, received: Date()) }) else {
            Issue.record("expected contentIDMismatch"); return
        }
        // Another document's package under Alice's genuine record.
        let other = try alice.session.documents.add(Array("something else entirely".utf8), title: "other")
        let otherSent = try alice.session.share(DocumentID(other.id)!, to: bob.session.publicKey, createdAt: Self.now)
        #expect(Self.error { _ = try bob.session.importShare(sent.record, package: otherSent.package, now: Self.now, received: Date()) } != nil)
        // An expired offer.
        let expiring = try alice.session.share(DocumentID(info.id)!, to: bob.session.publicKey, createdAt: Self.now, expiresAt: Self.now + 3600)
        guard case .expired = Self.error({ _ = try bob.session.importShare(expiring.record, package: expiring.package, now: Self.now + 7200, received: Date()) }) else {
            Issue.record("expected expired"); return
        }
        #expect(try bob.session.received().isEmpty)
    }

    @Test func revocationStopsFutureSharesButCannotUnsend() throws {
        let alice = try Peer("alice"), bob = try Peer("bob")
        let info = try alice.session.documents.add(Self.text(), title: "letter")
        let id = DocumentID(info.id)!
        let first = try alice.session.share(id, to: bob.session.publicKey, createdAt: Self.now)
        _ = try bob.session.importShare(first.record, package: first.package, now: Self.now, received: Date())
        // A second share, made before the revocation, that Bob has not imported yet.
        _ = try alice.session.documents.update(id, bytes: Array("version two".utf8))
        let second = try alice.session.share(id, to: bob.session.publicKey, createdAt: Self.now + 10)

        let revocation = try alice.session.revoke(id, recipient: bob.session.publicKey, revokedAt: Self.now + 20)
        guard case .revoked = Self.error({ _ = try alice.session.share(id, to: bob.session.publicKey, createdAt: Self.now + 30) }) else {
            Issue.record("expected the sender to refuse"); return
        }
        #expect(try alice.session.outbox().allSatisfy(\.revoked))

        try bob.session.importRevocation(revocation)
        guard case .revoked = Self.error({ _ = try bob.session.importShare(second.record, package: second.package, now: Self.now + 40, received: Date()) }) else {
            Issue.record("expected the recipient to refuse"); return
        }
        // What Bob imported before stays readable, marked as revoked.
        let inbox = try bob.session.received()
        #expect(inbox.count == 1 && inbox[0].revoked && inbox[0].version == 1)
        #expect(try bob.session.inbox.read(bob.session.inbox.resolve(inbox[0].id)).bytes == Self.text())
        // A revocation addressed to someone else is refused.
        #expect(Self.error { try alice.session.importRevocation(revocation) } != nil)
    }
}
