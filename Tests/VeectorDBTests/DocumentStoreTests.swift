import Foundation
import Testing
import VeectorCrypto
@testable import VeectorDB
import VeectorTestSupport

@Suite("Encrypted documents")
struct DocumentStoreTests {
    final class Fixture: @unchecked Sendable {
        let dir = TemporaryDirectory(prefix: "veector-docs")
        let db: Database
        let vault: Vault
        init() throws {
            db = try Database.open(path: dir.path + "/db")
            vault = Vault(directory: dir.path + "/keys")
        }
        func user(_ name: String, _ pass: String = "correct horse") throws -> UnlockedUser {
            if (try? vault.userNames().contains(name)) == true { return try vault.unlock(name: name, passphrase: Array(pass.utf8)) }
            return try vault.createUser(name: name, passphrase: Array(pass.utf8), profile: .fastForTests)
        }
    }

    @Test func addReadListHistoryRestoreRemove() throws {
        let f = try Fixture()
        let docs = DocumentStore(database: f.db, user: try f.user("alice"))
        let v1 = Array("first draft of the secret plan".utf8)
        let info = try docs.add(v1, title: "plan.txt")
        #expect(info.version == 1 && info.size == UInt64(v1.count))
        let id = try docs.resolve("plan.txt")
        #expect(id.description == info.id)
        #expect(try docs.resolve(String(info.id.prefix(6))) == id)
        #expect(try docs.read(id).bytes == v1)
        let v2 = Array("second draft, much better".utf8)
        let updated = try docs.update(id, bytes: v2)
        #expect(updated.version == 2 && updated.title == "plan.txt")
        #expect(try docs.read(id).bytes == v2)
        #expect(try docs.read(id, version: 1).bytes == v1)
        #expect(try docs.list().map(\.title) == ["plan.txt"])
        #expect(try docs.list().first?.versions == 2)
        try docs.remove(id)
        #expect(try docs.list().isEmpty)
        #expect(throws: DocumentError.self) { try docs.read(id) }
        #expect(try docs.history(id).map(\.deleted) == [false, false, true])
        let restored = try docs.restore(id, version: 1)
        #expect(restored.version == 4 && restored.restoredFrom == 1)
        #expect(try docs.read(id).bytes == v1)
        #expect(throws: DocumentError.self) { try docs.restore(id, version: 3) }   // a deletion marker
        #expect(throws: DocumentError.self) { try docs.restore(id, version: 9) }
        #expect(throws: DocumentError.self) { try docs.resolve("no such thing") }
    }

    @Test func largeContentEditCostsOnlyChangedChunks() throws {
        let f = try Fixture()
        let docs = DocumentStore(database: f.db, user: try f.user("bob"))
        var rng = SplitMix64(seed: 77)
        var content = rng.bytes(5 << 20)
        var reports = 0
        let info = try docs.add(content, title: "big.bin") { done, total in
            reports += 1
            #expect(done <= total)
        }
        #expect(reports > 10)
        let before = f.db.statistics().activeSegmentEnd
        content.replaceSubrange(2_000_000..<2_000_010, with: Array("0123456789".utf8))
        let id = DocumentID(info.id)!
        _ = try docs.update(id, bytes: content)
        let grown = f.db.statistics().activeSegmentEnd - before
        #expect(grown < 600_000, "an edit of 10 bytes wrote \(grown) bytes")
        #expect(try docs.read(id).bytes == content)
    }

    @Test func nothingOfContentOrTitleIsOnDiskInPlaintext() throws {
        let f = try Fixture()
        let docs = DocumentStore(database: f.db, user: try f.user("carol"))
        let title = "Quarterly-Salaries-XJ7Q"
        let marker = "TOP-SECRET-MARKER-8812"
        let text = Array(String(repeating: "\(marker) payroll line; ", count: 3000).utf8)
        let info = try docs.add(text, title: title)
        _ = try docs.update(DocumentID(info.id)!, bytes: text + Array(marker.utf8))
        try f.db.checkpoint()
        try f.db.close()
        for needle in [title, marker, "payroll"] {
            let hits = grepTree(f.dir.path, for: Array(needle.utf8))
            #expect(hits.isEmpty, "'\(needle)' found in plaintext in \(hits)")
        }
    }

    @Test func usersCannotReadEachOthersDocuments() throws {
        let f = try Fixture()
        let alice = DocumentStore(database: f.db, user: try f.user("alice", "alice pass"))
        let mallory = DocumentStore(database: f.db, user: try f.user("mallory", "mallory pass"))
        let info = try alice.add(Array("alice's diary".utf8), title: "diary")
        #expect(try mallory.list().isEmpty)
        #expect(throws: DocumentError.self) { try mallory.resolve("diary") }
        // Even with the ID, Mallory's store finds no key for her (keys are per user).
        #expect(throws: DocumentError.self) { try mallory.read(DocumentID(info.id)!) }
        // Alice's wrapped key copied under Mallory's user ID does not open with Mallory's master key.
        let aliceUser = try f.user("alice", "alice pass"), malloryUser = try f.user("mallory", "mallory pass")
        let wrapped = try f.db.get(DocumentStore.documentKeys, aliceUser.userID + DocumentID(info.id)!.bytes)!.value
        #expect(throws: VaultError.self) { try malloryUser.unwrapDocumentKey(wrapped, documentID: DocumentID(info.id)!.bytes) }
    }

    @Test func passphraseChangeKeepsDocumentsReadable() throws {
        let f = try Fixture()
        let id: DocumentID
        do {
            let docs = DocumentStore(database: f.db, user: try f.user("dave", "old pass"))
            id = DocumentID(try docs.add(Array("dave's notes".utf8), title: "notes").id)!
        }
        try f.vault.changePassphrase(name: "dave", old: Array("old pass".utf8), new: Array("new pass".utf8))
        #expect(throws: VaultError.self) { try f.vault.unlock(name: "dave", passphrase: Array("old pass".utf8)) }
        let docs = DocumentStore(database: f.db, user: try f.vault.unlock(name: "dave", passphrase: Array("new pass".utf8)))
        #expect(try docs.read(id).bytes == Array("dave's notes".utf8))
    }

    @Test func tamperedMetadataOrChunkIsDetected() throws {
        let f = try Fixture()
        let docs = DocumentStore(database: f.db, user: try f.user("erin"))
        let info = try docs.add(Array(String(repeating: "erin ", count: 50).utf8), title: "t")
        let id = DocumentID(info.id)!
        // Swap in a record whose chunk list was changed: the sealed metadata no longer opens.
        let key = try f.user("erin").userID + id.bytes
        let value = try f.db.get(DocumentStore.documents, key)!.value
        var record = DocumentRecord.decode(value)!
        record.chunks.append(record.chunks[0])
        try f.db.write { $0.put(DocumentStore.documents, key, record.encode()) }
        #expect(throws: DocumentError.self) { try docs.read(id) }
        #expect(try docs.read(id, version: 1).bytes.count == 250)
    }

    @Test func aDamagedDocumentDoesNotHideTheOthers() throws {
        let dir = TemporaryDirectory(prefix: "veector-docs")
        let vault = Vault(directory: dir.path + "/keys")
        let user = try vault.createUser(name: "gina", passphrase: Array("pass".utf8), profile: .fastForTests)
        var ids: [DocumentID] = []
        var victim: IndexEntry?
        do {
            let db = try Database.open(path: dir.path + "/db")
            let docs = DocumentStore(database: db, user: user)
            for t in ["a", "b", "c"] { ids.append(DocumentID(try docs.add(Array("text \(t)".utf8), title: t).id)!) }
            victim = db.latest(DocumentStore.documents, user.userID + ids[1].bytes)
            try db.close()
        }
        let segment = dir.path + "/db/" + Manifest.segmentName(1)
        var bytes = readBytes(segment)
        bytes[Int(victim!.recordOffset) + Int(victim!.valueOffset) + 5] ^= 0xFF
        writeBytes(bytes, to: segment)
        let docs = DocumentStore(database: try Database.open(path: dir.path + "/db"), user: user)
        let list = try docs.list()
        #expect(list.count == 3)
        #expect(list.filter { $0.damage != nil }.map(\.id) == [ids[1].description])
        #expect(try docs.read(try docs.resolve("c")).bytes == Array("text c".utf8))
    }

    @Test func purgedDocumentsAreGoneFromEveryListing() throws {
        let f = try Fixture()
        let docs = DocumentStore(database: f.db, user: try f.user("hal"))
        let a = try docs.add(Array("a".utf8), title: "a")
        _ = try docs.add(Array("b".utf8), title: "b")
        try docs.remove(DocumentID(a.id)!, purge: true)
        #expect(try docs.list(includeDeleted: true).map(\.title) == ["b"])
        #expect(throws: DocumentError.self) { try docs.resolve(a.id) }
    }

    @Test func purgeMakesContentUnreadableAndCompactionReclaimsIt() throws {
        let f = try Fixture()
        let docs = DocumentStore(database: f.db, user: try f.user("frank"))
        var rng = SplitMix64(seed: 3)
        let info = try docs.add(rng.bytes(2 << 20), title: "junk")
        let keep = try docs.add(Array("keep me".utf8), title: "keep")
        let id = DocumentID(info.id)!
        try docs.remove(id, purge: true)
        #expect(throws: DocumentError.self) { try docs.read(id) }
        let report = try f.db.compact()
        #expect(report.bytesAfter < 100_000)
        #expect(f.db.history(DocumentStore.documents, try f.user("frank").userID + id.bytes).isEmpty)
        #expect(try docs.read(DocumentID(keep.id)!).bytes == Array("keep me".utf8))
    }
}

/// Every file under `root` containing `needle`.
func grepTree(_ root: String, for needle: [UInt8]) -> [String] {
    var hits: [String] = []
    let e = FileManager.default.enumerator(atPath: root)
    while let rel = e?.nextObject() as? String {
        let path = root + "/" + rel
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
        let bytes = readBytes(path)
        if bytes.count >= needle.count, (0...(bytes.count - needle.count)).contains(where: { i in bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle }) {
            hits.append(rel)
        }
    }
    return hits
}
