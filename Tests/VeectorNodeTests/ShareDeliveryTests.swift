import ContentID
import Foundation
import Testing
import VeectorCrypto
import VeectorDB
import VeectorGossip
import VeectorNode
import VeectorTestSupport

/// Shares carried by gossip: the validation hook every relaying node runs, and the pending list a node
/// keeps for its users until they unlock (`ShareDelivery`).
@Suite("Sharing over gossip: validation and pending imports", .serialized)
struct ShareDeliveryTests {
    typealias Peer = SharingSessionTests.Peer
    static let now = Int64(Date().timeIntervalSince1970)
    let relay = SigningKeyPair.generate()

    func envelope(_ payload: [UInt8], topic: GossipTopic = ShareDelivery.topic) throws -> GossipEnvelope {
        try GossipEnvelope.sign(relay, topic: topic, sequence: 1, timestamp: UInt64(Self.now * 1000), payload: .inline(payload))
    }

    /// A share file from alice to bob of a small document.
    func share(_ alice: Peer, to bob: Peer, createdAt: Int64 = ShareDeliveryTests.now, expiresAt: Int64? = nil) throws -> (file: [UInt8], record: [UInt8], package: [UInt8]) {
        let info = try alice.session.documents.add(Array("meet at the mill at noon".utf8), title: "plan")
        let sent = try alice.session.share(try #require(DocumentID(info.id)), to: bob.session.publicKey, createdAt: createdAt, expiresAt: expiresAt)
        let record = sent.record.encoded()
        return (ShareFile.share(record: record, package: sent.package).encoded(), record, sent.package)
    }

    @Test func relaysCheckSignatureAndPackageBeforeForwarding() throws {
        let alice = try Peer("alice"), bob = try Peer("bob")
        let (file, record, package) = try share(alice, to: bob)
        #expect(ShareDelivery.verdict(try envelope(file)) == .accept)
        guard case let .success(recipient) = ShareDelivery.recipient(of: file, message: "test") else { Issue.record("not accepted"); return }
        #expect(recipient == bob.session.publicKey)

        var tampered = package
        tampered[tampered.count / 2] ^= 1
        guard case .reject = ShareDelivery.verdict(try envelope(ShareFile.share(record: record, package: tampered).encoded())) else {
            Issue.record("a tampered package was accepted"); return
        }
        var forged = record
        forged[forged.count - 5] ^= 1   // inside the signature
        guard case .reject = ShareDelivery.verdict(try envelope(ShareFile.share(record: forged, package: package).encoded())) else {
            Issue.record("a forged record was accepted"); return
        }
        guard case .reject = ShareDelivery.verdict(try envelope(Array("not a share file".utf8))) else {
            Issue.record("garbage on the inbox topic was accepted"); return
        }
        // Other topics are not this hook's business.
        #expect(ShareDelivery.verdict(try envelope(Array("hello".utf8), topic: "veector/announce")) == .accept)
        // The plaintext is nowhere in what travels.
        #expect(!String(decoding: file, as: UTF8.self).contains("meet at the mill"))
    }

    @Test func pendingSharesAreImportedOnceWhenTheRecipientUnlocks() throws {
        let alice = try Peer("alice"), bob = try Peer("bob")
        let (file, _, _) = try share(alice, to: bob)
        let (expired, _, _) = try share(alice, to: bob, createdAt: Self.now - 7200, expiresAt: Self.now - 3600)
        try ShareDelivery.storePending(file, for: bob.session.publicKey, in: bob.home.database)
        try ShareDelivery.storePending(file, for: bob.session.publicKey, in: bob.home.database)   // the same again: one entry
        try ShareDelivery.storePending(expired, for: bob.session.publicKey, in: bob.home.database)
        let result = try bob.session.importPending(now: Self.now, received: Date())
        #expect(result.imported == 1)
        #expect(result.dropped.count == 1 && result.dropped[0].contains("expired"))
        let items = try bob.session.received()
        #expect(items.count == 1 && items[0].title == "plan")
        #expect(try bob.session.inbox.read(try bob.session.inbox.resolve(items[0].id)).bytes == Array("meet at the mill at noon".utf8))
        // Nothing is left pending.
        let again = try bob.session.importPending(now: Self.now, received: Date())
        #expect(again.imported == 0 && again.dropped.isEmpty)
    }

    @Test func theNodeRemembersWhichRecipientsAreItsOwn() throws {
        let bob = try Peer("bob")
        #expect(ShareDelivery.listenKeys(in: bob.home.database).isEmpty)
        try ShareDelivery.listen(user: "bob", key: bob.session.publicKey, in: bob.home.database)
        try ShareDelivery.listen(user: "bob", key: bob.session.publicKey, in: bob.home.database)
        #expect(ShareDelivery.listenKeys(in: bob.home.database) == [bob.session.publicKey])
    }

    @Test func aShareTooLargeToTravelInlineGoesByAReferenceThatRelaysCheck() throws {
        let big = ShareFile.share(record: [UInt8](repeating: 1, count: 100), package: [UInt8](repeating: 2, count: 40_000))
        #expect(ShareDelivery.inlinePayload(big) == nil)
        let alice = try Peer("alice"), bob = try Peer("bob")
        let (file, record, package) = try share(alice, to: bob)
        #expect(ShareDelivery.inlinePayload(try ShareFile(decoding: file, path: "test")) != nil)

        let reference = ShareReference(record: record).encoded()
        #expect(reference.count < 2_100, "a reference is the record alone: \(reference.count) bytes")
        #expect(ShareDelivery.verdict(try envelope(reference)) == .accept)
        guard case let .success(recipient) = ShareDelivery.recipient(of: reference, message: "test") else { Issue.record("not accepted"); return }
        #expect(recipient == bob.session.publicKey)
        var forged = reference
        forged[forged.count - 5] ^= 1   // inside the record's signature
        guard case .reject = ShareDelivery.verdict(try envelope(forged)) else { Issue.record("a forged reference was accepted"); return }
        guard case .reject = ShareDelivery.verdict(try envelope(Array("VSHR".utf8) + [9] + record)) else {
            Issue.record("a reference of an unknown format was accepted"); return
        }

        // The fetched package must be the one the record names; then it is a share file like any other.
        let parsed = try ShareReference(decoding: reference, what: "test")
        #expect(try parsed.package().cid == CID.sha256(of: package))
        var wrong = package
        wrong[0] ^= 1
        #expect(throws: ShareError.self) { _ = try parsed.shareFile(package: wrong) }
        #expect(try parsed.shareFile(package: package).encoded() == file)

        // Kept while the package is fetched, per recipient, and forgotten after.
        try ShareDelivery.storeReference(reference, for: recipient, in: bob.home.database)
        #expect(ShareDelivery.references(for: recipient, in: bob.home.database).map(\.bytes) == [reference])
        #expect(ShareDelivery.references(for: alice.session.publicKey, in: bob.home.database).isEmpty)
        try ShareDelivery.removeReference(reference, for: recipient, in: bob.home.database)
        #expect(ShareDelivery.references(for: nil, in: bob.home.database).isEmpty)
    }
}
