import ContentID
import Foundation
import Testing
import VeectorCrypto
@testable import VeectorDB
import VeectorTestSupport

/// The ciphertext package and the inbox (Spec/sharing.md): a document version leaves its owner's
/// store as ciphertext only, and arrives in another user's inbox still encrypted at rest.
@Suite("Sharing: packages and inbox")
struct SharingPackageTests {
    final class Fixture: @unchecked Sendable {
        let dir = TemporaryDirectory(prefix: "veector-share")
        let db: Database
        let vault: Vault
        init() throws {
            db = try Database.open(path: dir.path + "/db")
            vault = Vault(directory: dir.path + "/keys")
        }
        func user(_ name: String) throws -> UnlockedUser {
            try vault.createUser(name: name, passphrase: Array("pass of \(name)".utf8), profile: .fastForTests)
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Varied text that compresses (so chunks take the zstd path) and spans several chunks.
    static func letter() -> [UInt8] {
        var rng = SplitMix64(seed: 7)
        var text = ""
        while text.utf8.count < 600_000 {
            text += "PATIENT-SECRET-7741 line \(rng.next() % 100_000): the results are in. "
        }
        return Array(text.utf8)
    }

    @Test func packageHoldsOnlyCiphertextAndOpensWithTheKey() throws {
        let f = try Fixture()
        let docs = DocumentStore(database: f.db, user: try f.user("alice"))
        let content = Self.letter()
        let info = try docs.add(content, title: "Diagnosis-Letter-QZ93")
        let id = try #require(DocumentID(info.id))
        let exported = try docs.exportPackage(id)
        let bytes = exported.package.encoded()
        #expect(exported.package.chunks.count > 1)
        #expect(exported.info.title == "Diagnosis-Letter-QZ93")
        for needle in ["PATIENT-SECRET", "Diagnosis-Letter", "results are in"] {
            #expect(!Self.contains(bytes, Array(needle.utf8)), "'\(needle)' is in the package in clear")
        }
        #expect(!Self.contains(bytes, exported.documentKey.withUnsafeBytes { Array($0) }), "the document key is in the package")
        let decoded = try DocumentPackage(decoding: bytes)
        #expect(decoded == exported.package)
        #expect(decoded.contentID == CID.sha256(of: bytes))
        let (opened, plain) = try decoded.decrypt(key: exported.documentKey)
        #expect(plain == content)
        #expect(opened.title == "Diagnosis-Letter-QZ93" && opened.contentID == info.contentID)
        // Another key opens nothing.
        #expect(throws: PackageError.metadataRejected) { try decoded.decrypt(key: SecretKey.random()) }
    }

    @Test func everyKindOfTamperingIsRefused() throws {
        let f = try Fixture()
        let docs = DocumentStore(database: f.db, user: try f.user("alice"))
        let info = try docs.add(Self.letter(), title: "letter")
        let exported = try docs.exportPackage(DocumentID(info.id)!)
        let bytes = exported.package.encoded()
        let key = exported.documentKey
        // A flipped byte in a chunk: its ID no longer matches.
        var chunkFlip = bytes
        chunkFlip[DocumentPackage.headerBytes + 60] ^= 1
        #expect(throws: PackageError.chunkIDMismatch(index: 0)) { try DocumentPackage(decoding: chunkFlip) }
        // A flipped byte in the sealed metadata.
        var metaFlip = bytes
        metaFlip[bytes.count - 5] ^= 1
        #expect(throws: PackageError.metadataRejected) { try DocumentPackage(decoding: metaFlip).decrypt(key: key) }
        // A different document ID in the header: the additional data no longer matches.
        var docFlip = bytes
        docFlip[4 + 1 + 16] ^= 1
        #expect(throws: PackageError.metadataRejected) { try DocumentPackage(decoding: docFlip).decrypt(key: key) }
        // Chunks swapped (each still matching its own ID): the metadata is bound to the order.
        let p = exported.package
        let swapped = DocumentPackage(ownerID: p.ownerID, documentID: p.documentID, version: p.version,
                                      chunks: [p.chunks[1], p.chunks[0]] + p.chunks.dropFirst(2), sealedMetadata: p.sealedMetadata)
        #expect(throws: PackageError.metadataRejected) { try swapped.decrypt(key: key) }
        // Cut short, trailing bytes, wrong magic, unknown version.
        #expect(throws: PackageError.self) { try DocumentPackage(decoding: Array(bytes.dropLast(3))) }
        #expect(throws: PackageError.self) { try DocumentPackage(decoding: bytes + [0]) }
        #expect(throws: PackageError.self) { try DocumentPackage(decoding: [0x56, 0x50, 0x4b, 0x48] + bytes.dropFirst(4)) }
        var future = bytes
        future[4] = 2
        #expect(throws: PackageError.unsupportedVersion(2)) { try DocumentPackage(decoding: future) }
        // A huge chunk count cannot make the reader allocate.
        var lie = bytes
        lie[DocumentPackage.headerBytes - 1] = 0xff
        #expect(throws: PackageError.self) { try DocumentPackage(decoding: lie) }
    }

    @Test func inboxKeepsTheShareEncryptedAndOnlyForItsUser() throws {
        let f = try Fixture()
        let alice = DocumentStore(database: f.db, user: try f.user("alice"))
        let content = Self.letter()
        let info = try alice.add(content, title: "Diagnosis-Letter-QZ93")
        let exported = try alice.exportPackage(DocumentID(info.id)!)
        let bytes = exported.package.encoded()
        let bob = SharedInbox(database: f.db, user: try f.user("bob"))
        let shareID = ShareID(record: Array("a share record".utf8))
        let item = try bob.add(shareID, packageBytes: bytes, expectedPackage: CID.sha256(of: bytes), documentID: exported.package.documentID,
                               version: 1, documentKey: exported.documentKey, note: Array("note".utf8), received: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(item.title == "Diagnosis-Letter-QZ93" && item.size == UInt64(content.count) && item.note == Array("note".utf8))
        #expect(bob.list().map(\.id) == [shareID])
        #expect(try bob.resolve(String(shareID.description.prefix(6))) == shareID)
        #expect(try bob.resolve("Diagnosis-Letter-QZ93") == shareID)
        #expect(try bob.read(shareID).bytes == content)
        let out = f.dir.file("out.txt")
        _ = try bob.read(shareID, to: out)
        #expect(readBytes(out) == content)
        // Importing the same share again changes nothing.
        #expect(try bob.add(shareID, packageBytes: bytes, expectedPackage: CID.sha256(of: bytes), documentID: exported.package.documentID,
                            version: 1, documentKey: exported.documentKey, note: [], received: Date()).note == Array("note".utf8))
        // Carol's inbox is another: she sees nothing and cannot open Bob's item.
        let carol = SharedInbox(database: f.db, user: try f.user("carol"))
        #expect(carol.list().isEmpty)
        #expect(throws: InboxError.self) { try carol.read(shareID) }
        // The inbox entry is sealed: the title is nowhere in the database files.
        try f.db.checkpoint()
        for file in listDirectory(f.dir.path + "/db") {
            #expect(!Self.contains(readBytes(f.dir.path + "/db/" + file), Array("Diagnosis-Letter".utf8)), "title in clear in \(file)")
        }
    }

    @Test func inboxRefusesABadPackageAndStoresNothing() throws {
        let f = try Fixture()
        let alice = DocumentStore(database: f.db, user: try f.user("alice"))
        let info = try alice.add(Self.letter(), title: "letter")
        let exported = try alice.exportPackage(DocumentID(info.id)!)
        let bytes = exported.package.encoded()
        let cid = CID.sha256(of: bytes)
        let bob = SharedInbox(database: f.db, user: try f.user("bob"))
        let id = ShareID(record: [1])
        let doc = exported.package.documentID
        var flipped = bytes
        flipped[200] ^= 0x80
        #expect(throws: InboxError.self) {
            try bob.add(id, packageBytes: flipped, expectedPackage: cid, documentID: doc, version: 1, documentKey: exported.documentKey, note: [], received: Date())
        }
        #expect(throws: InboxError.self) {
            try bob.add(id, packageBytes: bytes, expectedPackage: cid, documentID: doc, version: 1, documentKey: SecretKey.random(), note: [], received: Date())
        }
        #expect(throws: InboxError.self) {
            try bob.add(id, packageBytes: bytes, expectedPackage: cid, documentID: DocumentID.random(), version: 1, documentKey: exported.documentKey, note: [], received: Date())
        }
        #expect(throws: InboxError.self) {
            try bob.add(id, packageBytes: bytes, expectedPackage: cid, documentID: doc, version: 2, documentKey: exported.documentKey, note: [], received: Date())
        }
        #expect(bob.list().isEmpty)
        #expect(!BlobStore(database: f.db).contains(cid))
    }

    /// Spec/sharing.md, "Test vector: package": built from the spec's inputs, byte for byte.
    @Test func packageVector() throws {
        let v = SharingVector()
        let package = try v.package()
        let bytes = package.encoded()
        #expect(bytes.hex == SharingVector.packageHex)
        #expect(package.contentID.description == SharingVector.packageCID)
        let (info, plain) = try DocumentPackage(decoding: bytes).decrypt(key: v.key)
        #expect(plain == SharingVector.plaintext)
        #expect(info.title == "greeting.txt" && info.size == 15)
    }
}

/// The inputs of Spec/sharing.md's package vector.
struct SharingVector {
    static let plaintext = Array("hello, veector\n".utf8)
    static let metadataJSON = #"{"chunks":[{"length":15,"tag":"00000000000000000000000000000000"}],"contentID":"bafkreiblwo5xkhpywvslvrzf3spfvybjkl5op3vnoqc4rly3qwsyw4tvha","created":"2026-11-23T00:00:00Z","modified":"2026-11-23T00:00:00Z","size":15,"title":"greeting.txt"}"#
    static let packageHex = "56504b4701202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f010000000000000001000000240155122068d507aae5f3cdac7c4c1b5ddd4298cc4da738101a0daa6ef2f384e10d6c248538000000404142434445464748494a4b4c4d4e4f5051525354555657d451601cbc8f5536f991e2dddbf31798ee30b85bbbe484e516efaa9341e92e8119010000606162636465666768696a6b6c6d6e6f7071727374757677cefbd24e23663f5b012da654231c66d0558af30e3460c74872694711b74b46d1d7c7e768c9d957ba4f0b97a4064b64c98d0cfbb2aa7a2285c1f19fe1fe98c1c4a6d68ecacee6de523413038c8fdcaaefe7fda3d6855b54116507db033b29d78dfa62a3c20814963e33b3680419985b751deb1f4dc5630b9dd93aba78d4395811e06ff5d7e6c690e735220b526586b724150976026d289c41c44f967e4164426b033511973521de0aebda1cb42d9f5ad7d7c554be47faf1934d5824cdd30d47ca1a8a1f978fc7f8e6d4d7d3680dba06c92356b68f421da34b494b671dbb7a2b758f2c5b460a0665f82b493033ede1bd1e98552543ab8919828598b91367bce80f01"
    static let packageCID = "bafkreibj7zzfqruzshgixxyiib2bypgnqakcfztywqa7nrsnw2n5476u4m"

    let key = try! SecretKey(bytes: Array(0x00...0x1f))
    let owner: [UInt8] = Array(0x20...0x2f)
    let document = DocumentID(bytes: Array(0x30...0x3f))!

    func package() throws -> DocumentPackage {
        let chunkNonce: [UInt8] = Array(0x40...0x57), metaNonce: [UInt8] = Array(0x60...0x77)
        let inner: [UInt8] = [0] + Self.plaintext
        let chunkAD = DocumentRecord.chunkAD(userID: owner, documentID: document)
        let sealedChunk = inner.withUnsafeBytes { p in chunkAD.withUnsafeBytes { AEAD.seal(p, key: key, nonce: chunkNonce, additionalData: $0) } }
        let chunk = DocumentPackage.SealedChunk(id: CID.sha256(of: sealedChunk), sealed: sealedChunk)
        let metaAD = DocumentRecord.metadataAD(userID: owner, documentID: document, chunks: [chunk.id])
        let json = Array(Self.metadataJSON.utf8)
        let sealedMeta = json.withUnsafeBytes { p in metaAD.withUnsafeBytes { AEAD.seal(p, key: key, nonce: metaNonce, additionalData: $0) } }
        return DocumentPackage(ownerID: owner, documentID: document, version: 1, chunks: [chunk], sealedMetadata: sealedMeta)
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
