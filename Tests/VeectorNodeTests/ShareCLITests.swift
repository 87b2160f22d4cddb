import Foundation
import Testing
import VeectorDB
import VeectorNode
import VeectorTestSupport

/// Sharing end to end with the real `veenode` binary: three people, three homes, a share file
/// carried between them (Docs/commands.md, "Sharing documents").
@Suite("veenode share and docs inbox", .serialized)
struct ShareCLITests {
    final class Person: @unchecked Sendable {
        let dir = TemporaryDirectory(prefix: "veenode-share")
        let binary: String
        let name: String
        var home: String { dir.path + "/home" }
        var passphrase: String { "the passphrase of \(name)" }
        private(set) var key = ""

        init(_ name: String) throws {
            self.name = name
            binary = try #require(builtProduct("veenode"), "build veenode first (swift build)")
            let r = try veenode(["init", "--user", name])
            #expect(r.status == 0, "init failed: \(r.stderr)")
            let k = try veenode(["share", "key"])
            #expect(k.status == 0, "share key failed: \(k.stderr)")
            key = k.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(key.count == 64)
        }

        @discardableResult
        func veenode(_ args: [String]) throws -> ProcessResult {
            try run(binary, args, environment: ["VEENODE_HOME": home, "VEENODE_PASSPHRASE": passphrase])
        }

        func json<T: Decodable>(_ type: T.Type, _ args: [String]) throws -> T {
            let r = try veenode(args + ["--json"])
            #expect(r.status == 0, "\(args) failed: \(r.stderr)")
            let d = JSONDecoder()
            d.dateDecodingStrategy = .iso8601
            return try d.decode(T.self, from: Data(r.stdout.utf8))
        }

        func file(_ name: String, _ bytes: [UInt8]) -> String {
            writeBytes(bytes, to: dir.file(name))
            return dir.file(name)
        }
    }

    static let title = "Diagnosis-Letter-QZ93"
    static let secret = "PATIENT-SECRET-7741"
    static func letter() -> [UInt8] { Array(String(repeating: "\(secret): the scan on the 14th was clear. ", count: 4000).utf8) }

    /// Alice adds the letter and shares it with `to`; returns the share file's path.
    static func share(from alice: Person, to key: String, extra: [String] = []) throws -> String {
        if (try alice.veenode(["docs", "get", title])).status != 0 {
            #expect(try alice.veenode(["docs", "add", alice.file("letter.txt", letter()), "--title", title]).status == 0)
        }
        let out = alice.dir.file("share-\(UUID().uuidString.prefix(6)).vshare")
        let r = try alice.veenode(["share", "doc", title, "--to", key, "--out", out] + extra)
        #expect(r.status == 0, "share failed: \(r.stderr)")
        return out
    }

    @Test func aSharedDocumentArrivesAndDecryptsOnlyForItsRecipient() throws {
        let alice = try Person("alice"), bob = try Person("bob"), carol = try Person("carol")
        let file = try Self.share(from: alice, to: bob.key)
        let shareFile = readBytes(file)
        // The file carries ciphertext only.
        for needle in [Self.title, Self.secret] {
            #expect(grepTree(alice.dir.path, for: Array(needle.utf8)).filter { $0.hasSuffix(".vshare") }.isEmpty, "'\(needle)' in the share file")
        }

        // Carol cannot import it, and her home is left exactly as it was.
        let before = snapshot(carol.home)
        let refused = try carol.veenode(["docs", "receive", file])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not to you") && refused.stderr.contains("nothing was imported"), "\(refused.stderr)")
        #expect(snapshot(carol.home) == before)
        for needle in [Self.title, Self.secret] {
            #expect(grepTree(carol.home, for: Array(needle.utf8)).isEmpty, "'\(needle)' in Carol's home")
        }

        // Bob imports it, lists it, and reads exactly the bytes Alice added.
        let received = try bob.json(ReceivedShare.self, ["docs", "receive", file])
        #expect(received.title == Self.title && received.from == alice.key)
        let inbox = try bob.json([ReceivedShare].self, ["docs", "inbox"])
        #expect(inbox.map(\.title) == [Self.title] && inbox[0].size == UInt64(Self.letter().count))
        let table = try bob.veenode(["docs", "inbox"])
        #expect(table.stdout.contains(Self.title) && table.stdout.contains(String(alice.key.prefix(16))))
        #expect(try bob.veenode(["docs", "get", String(received.id.prefix(8))]).stdout == String(decoding: Self.letter(), as: UTF8.self))
        let out = bob.dir.file("letter-copy.txt")
        #expect(try bob.veenode(["docs", "get", "--inbox", Self.title, "-o", out]).status == 0)
        #expect(readBytes(out) == Self.letter())
        // Bob's own documents are untouched; his home holds the share encrypted only.
        #expect(try bob.json([DocumentInfo].self, ["docs", "list"]).isEmpty)
        #expect(try bob.veenode(["db", "compact"]).status == 0)
        #expect(try bob.veenode(["docs", "get", "--inbox", received.id]).stdout == String(decoding: Self.letter(), as: UTF8.self))
        for needle in [Self.title, Self.secret, bob.passphrase] {
            #expect(grepTree(bob.home, for: Array(needle.utf8)).isEmpty, "'\(needle)' in clear in Bob's home")
        }
        #expect(readBytes(file) == shareFile)
        // Alice's outbox lists it.
        let sent = try alice.json([OutboxEntry].self, ["share", "list"])
        #expect(sent.count == 1 && sent[0].to == bob.key && sent[0].id == received.id)
    }

    @Test func tamperedShareFilesAreRefusedAndNothingIsImported() throws {
        let alice = try Person("alice"), bob = try Person("bob")
        let file = try Self.share(from: alice, to: bob.key)
        let bytes = readBytes(file)
        let recordLength = Int(bytes[6]) | Int(bytes[7]) << 8
        let sigField = Array("3:sig64:".utf8)
        let signature = try #require((10..<(10 + recordLength)).first { Array(bytes[$0..<($0 + sigField.count)]) == sigField }) + sigField.count
        let before = snapshot(bob.home)
        // A byte of the package, of the record's signed part, of the signature; then a cut file.
        for (label, offset, expected) in [("package", bytes.count - 100, "changed in transit"), ("record", 10 + recordLength / 2, "nothing was imported"),
                                          ("signature", signature + 10, "signature does not verify")] {
            var damaged = bytes
            damaged[offset] ^= 0x01
            let path = bob.file("damaged-\(label).vshare", damaged)
            let r = try bob.veenode(["docs", "receive", path])
            #expect(r.status == 1, "\(label): \(r.stdout)")
            #expect(r.stderr.contains(expected), "\(label): \(r.stderr)")
        }
        let cut = try bob.veenode(["docs", "receive", bob.file("cut.vshare", Array(bytes.prefix(bytes.count - 7)))])
        #expect(cut.status == 1 && cut.stderr.contains("not a Veector share file"), "\(cut.stderr)")
        #expect(snapshot(bob.home) == before)
        #expect(try bob.json([ReceivedShare].self, ["docs", "inbox"]).isEmpty)
        // The intact file still imports.
        #expect(try bob.veenode(["docs", "receive", file]).status == 0)
    }

    @Test func revokedSharesAreRefusedOnBothSides() throws {
        let alice = try Person("alice"), bob = try Person("bob")
        let early = try Self.share(from: alice, to: bob.key)
        let revocationFile = alice.dir.file("revoke.vshare")
        let revoke = try alice.veenode(["share", "doc", Self.title, "--to", bob.key, "--revoke", "--out", revocationFile])
        #expect(revoke.status == 0 && revoke.stdout.contains("cannot be recalled"), "\(revoke.stderr)")
        let again = try alice.veenode(["share", "doc", Self.title, "--to", bob.key, "--out", alice.dir.file("again.vshare")])
        #expect(again.status == 1 && again.stderr.contains("revoked"), "\(again.stderr)")
        // Bob's node learns of the revocation and refuses the share it had not imported yet.
        #expect(try bob.veenode(["docs", "receive", revocationFile]).status == 0)
        let late = try bob.veenode(["docs", "receive", early])
        #expect(late.status == 1 && late.stderr.contains("revoked"), "\(late.stderr)")
        #expect(try bob.json([ReceivedShare].self, ["docs", "inbox"]).isEmpty)
        // Bad keys are usage errors.
        let badKey = try alice.veenode(["share", "doc", Self.title, "--to", "abc"])
        #expect(badKey.status == 64 && badKey.stderr.contains("64 hex characters"), "\(badKey.stderr)")
    }
}
