import Foundation
import Testing
import VeectorDB
import VeectorNode
import VeectorTestSupport

/// End-to-end tests of the real `veenode` binary on real files: what a person does, and the bad
/// input and faults the foundation issue names.
@Suite("veenode command line", .serialized)
struct VeenodeCLITests {
    static let passphrase = "a long passphrase for tests"

    final class Node: @unchecked Sendable {
        let dir = TemporaryDirectory(prefix: "veenode-cli")
        let binary: String
        var home: String { dir.path + "/home" }

        init() throws {
            binary = try #require(builtProduct("veenode"), "build veenode first (swift build)")
            let r = try veenode(["init", "--user", "alice"])
            #expect(r.status == 0, "init failed: \(r.stderr)")
        }

        @discardableResult
        func veenode(_ args: [String], passphrase: String? = VeenodeCLITests.passphrase, env: [String: String] = [:]) throws -> ProcessResult {
            var environment = env
            environment["VEENODE_HOME"] = home
            if let passphrase { environment["VEENODE_PASSPHRASE"] = passphrase }
            return try run(binary, args, environment: environment)
        }

        func file(_ name: String, _ bytes: [UInt8]) -> String {
            let path = dir.path + "/" + name
            writeBytes(bytes, to: path)
            return path
        }

        func json<T: Decodable>(_ type: T.Type, _ args: [String]) throws -> T {
            let r = try veenode(args + ["--json"])
            #expect(r.status == 0, "\(args) failed: \(r.stderr)")
            let d = JSONDecoder()
            d.dateDecodingStrategy = .iso8601
            return try d.decode(T.self, from: Data(r.stdout.utf8))
        }
    }

    @Test func documentsRoundTripThroughTheCommandLine() throws {
        let node = try Node()
        let text = Array("meeting notes: the launch moves to Tuesday\n".utf8)
        let path = node.file("notes.txt", text)
        let added = try node.json(DocumentInfo.self, ["docs", "add", path, "--title", "Meeting notes"])
        #expect(added.title == "Meeting notes" && added.size == UInt64(text.count))
        let list = try node.json([DocumentInfo].self, ["docs", "list"])
        #expect(list.map(\.title) == ["Meeting notes"])
        // Read back by title, by ID prefix, to stdout and to a file.
        #expect(try node.veenode(["docs", "get", "Meeting notes"]).stdout == String(decoding: text, as: UTF8.self))
        let out = node.dir.path + "/out.txt"
        #expect(try node.veenode(["docs", "get", String(added.id.prefix(8)), "-o", out]).status == 0)
        #expect(readBytes(out) == text)
        // A second version, history, restore.
        let v2 = node.file("v2.txt", Array("the launch moves to Wednesday\n".utf8))
        #expect(try node.veenode(["docs", "update", "Meeting notes", v2]).status == 0)
        let history = try node.json([DocumentInfo].self, ["docs", "history", added.id])
        #expect(history.map(\.version) == [1, 2])
        let restored = try node.json(DocumentInfo.self, ["docs", "restore", added.id, "--version", "1"])
        #expect(restored.version == 3 && restored.restoredFrom == 1)
        #expect(try node.veenode(["docs", "get", added.id]).stdout == String(decoding: text, as: UTF8.self))
        #expect(try node.veenode(["docs", "get", added.id, "--version", "2"]).stdout.contains("Wednesday"))
        // Delete, then it is gone from the list but restorable.
        #expect(try node.veenode(["docs", "rm", added.id]).status == 0)
        #expect(try node.json([DocumentInfo].self, ["docs", "list"]).isEmpty)
        let gone = try node.veenode(["docs", "get", added.id])
        #expect(gone.status != 0 && gone.stderr.contains("was deleted"))
        #expect(try node.json([DocumentInfo].self, ["docs", "list", "--all"]).count == 1)
        // db check is clean; status reports the OpenBLAS kernels.
        #expect(try node.veenode(["db", "check"]).status == 0)
        let status = try node.veenode(["status", "--json"])
        #expect(status.status == 0 && status.stdout.contains("openblasCore"))
    }

    @Test func noPlaintextAnywhereInTheHome() throws {
        let node = try Node()
        let title = "Diagnosis-Letter-QZ93"
        let secret = "PATIENT-SECRET-7741 "
        let path = node.file("letter.txt", Array(String(repeating: secret, count: 5000).utf8))
        #expect(try node.veenode(["docs", "add", path, "--title", title]).status == 0)
        #expect(try node.veenode(["docs", "update", title, path]).status == 0)
        #expect(try node.veenode(["db", "compact"]).status == 0)
        for needle in [title, "PATIENT-SECRET", Self.passphrase] {
            let hits = grepTree(node.home, for: Array(needle.utf8))
            #expect(hits.isEmpty, "'\(needle)' is on disk in plaintext in \(hits)")
        }
    }

    @Test func wrongPassphraseIsAClearErrorAndChangesNothing() throws {
        let node = try Node()
        let path = node.file("a.txt", Array("alpha".utf8))
        #expect(try node.veenode(["docs", "add", path]).status == 0)
        let before = snapshot(node.home)
        let r = try node.veenode(["docs", "add", path], passphrase: "not the passphrase")
        #expect(r.status != 0)
        #expect(r.stderr.contains("wrong passphrase"))
        #expect(snapshot(node.home) == before)
        let none = try node.veenode(["docs", "list"], passphrase: nil)
        #expect(none.status != 0 && none.stderr.contains("VEENODE_PASSPHRASE"))
    }

    @Test func passphraseChangeAndSecondUser() throws {
        let node = try Node()
        let path = node.file("a.txt", Array("alice's text".utf8))
        #expect(try node.veenode(["docs", "add", path]).status == 0)
        let change = try node.veenode(["user", "passwd"], env: ["VEENODE_NEW_PASSPHRASE": "the new one"])
        #expect(change.status == 0, "\(change.stderr)")
        #expect(try node.veenode(["docs", "list"]).status != 0)
        #expect(try node.veenode(["docs", "get", "a.txt"], passphrase: "the new one").stdout == "alice's text")
        #expect(try node.veenode(["user", "add", "bob"], passphrase: "bob's pass").status == 0)
        let bobs = try node.veenode(["docs", "list", "--json", "--user", "bob"], passphrase: "bob's pass")
        #expect(bobs.status == 0 && bobs.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || bobs.stdout.contains("[]"))
        #expect(try node.veenode(["docs", "get", "a.txt", "--user", "bob"], passphrase: "bob's pass").status != 0)
    }

    @Test func missingAndUnreadableInputsAreClearErrors() throws {
        let node = try Node()
        let missing = try node.veenode(["docs", "add", node.dir.path + "/nope.txt"])
        #expect(missing.status != 0 && missing.stderr.contains("no such file"))
        let folder = try node.veenode(["docs", "add", node.dir.path])
        #expect(folder.status != 0 && folder.stderr.contains("folder"))
        let unknown = try node.veenode(["docs", "get", "zzzz-no-such-doc"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no document matches"))
        let noHome = try run(node.binary, ["docs", "list"], environment: ["VEENODE_HOME": node.dir.path + "/empty", "VEENODE_PASSPHRASE": "x"])
        #expect(noHome.status != 0 && noHome.stderr.contains("veenode init"))
        let twice = try node.veenode(["init"])
        #expect(twice.status != 0 && twice.stderr.contains("already holds a node"))
    }

    @Test func secondProcessOnTheSameHomeIsRefused() throws {
        let node = try Node()
        let home = try NodeHome.open(at: node.home)   // this test process now holds the home
        let r = try node.veenode(["docs", "list"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("another veenode process"))
        try home.close()
        #expect(try node.veenode(["docs", "list"]).status == 0)
    }

    @Test func flippedByteIsReportedBySegmentAndOffsetAndOthersStayReadable() throws {
        let node = try Node()
        var ids: [String] = []
        for i in 0..<4 {
            let p = node.file("f\(i).txt", Array(String(repeating: "file \(i) ", count: 200).utf8))
            ids.append(try node.json(DocumentInfo.self, ["docs", "add", p]).id)
        }
        // Damage one byte in the middle of the log.
        let segment = node.home + "/db/" + listDirectory(node.home + "/db").first { $0.hasPrefix("seg-") }!
        var bytes = readBytes(segment)
        let end = bytes.lastIndex { $0 != 0 }!
        bytes[end / 2] ^= 0x5A
        writeBytes(bytes, to: segment)
        let check = try node.veenode(["db", "check"])
        #expect(check.status == 3)
        #expect(check.stdout.contains("SEGMENT") && check.stdout.contains("OFFSET"), "\(check.stdout)")
        #expect(check.stdout.contains("checksum") || check.stdout.contains("unreadable") || check.stdout.contains("missing"), "\(check.stdout)")
        var readable = 0
        for id in ids where try node.veenode(["docs", "get", id]).status == 0 { readable += 1 }
        #expect(readable >= 3)
    }

    @Test func truncatedSegmentAndLostCheckpointRecoverToAPrefix() throws {
        let node = try Node()
        for i in 0..<5 {
            let p = node.file("t\(i).txt", Array("text \(i)".utf8))
            #expect(try node.veenode(["docs", "add", p]).status == 0)
        }
        let db = node.home + "/db/"
        let segment = db + listDirectory(db).first { $0.hasPrefix("seg-") }!
        let bytes = readBytes(segment)
        // Lose the index checkpoint and cut into the last transaction, as a torn write would.
        for name in listDirectory(db) where name.hasPrefix("index-") { try FileManager.default.removeItem(atPath: db + name) }
        let end = bytes.lastIndex { $0 != 0 }!
        writeBytes(Array(bytes.prefix(end - 40)), to: segment)
        let list = try node.veenode(["docs", "list", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let docs = try decoder.decode([DocumentInfo].self, from: Data(list.stdout.utf8))
        #expect(docs.map(\.title) == ["t0.txt", "t1.txt", "t2.txt", "t3.txt"])
        #expect(try node.veenode(["db", "check"]).status == 0)
    }

    @Test func fullDiskFailsTheCommitAndKeepsEverythingEarlier() throws {
        // A real ENOSPC: a 3 MiB tmpfs in a private mount namespace (needs root and unshare).
        let node = try Node()
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            print("skipping the full-disk test: needs root and unshare")
            return
        }
        let small = node.file("small.txt", Array("fits easily".utf8))
        var rng = SplitMix64(seed: 1)
        let big = node.file("big.bin", rng.bytes(6 << 20))
        let script = """
        set -u
        mount -t tmpfs -o size=3m tmpfs "$MNT" || exit 90
        export VEENODE_HOME="$MNT/home"
        "$BIN" init --user alice >/dev/null || exit 91
        "$BIN" docs add "$SMALL" --title first >/dev/null || exit 92
        "$BIN" docs add "$BIG" --title huge 2>"$MNT/err.txt"; echo "big=$?"
        cat "$MNT/err.txt"
        "$BIN" docs get first || exit 93
        echo
        "$BIN" docs add "$SMALL" --title after >/dev/null; echo "after=$?"
        "$BIN" db check >/dev/null; echo "check=$?"
        """
        let mnt = node.dir.path + "/mnt"
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        let r = try run("/usr/bin/unshare", ["-m", "sh", "-c", script],
                        environment: ["MNT": mnt, "BIN": node.binary, "SMALL": small, "BIG": big, "VEENODE_PASSPHRASE": Self.passphrase])
        if r.status == 90 { print("skipping the full-disk test: cannot mount tmpfs here"); return }
        #expect(r.stdout.contains("big=1"), "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("disk") && r.stdout.contains("full"), "\(r.stdout)")
        #expect(r.stdout.contains("fits easily"))
        #expect(r.stdout.contains("check=0"), "\(r.stdout)")
    }
}

/// Every file's bytes under `root` (to compare before and after).
func snapshot(_ root: String) -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    let e = FileManager.default.enumerator(atPath: root)
    while let rel = e?.nextObject() as? String {
        var isDir: ObjCBool = false
        let path = root + "/" + rel
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, rel != "LOCK", !rel.hasSuffix("/LOCK") {
            result[rel] = readBytes(path)
        }
    }
    return result
}

/// Every file under `root` containing `needle`.
func grepTree(_ root: String, for needle: [UInt8]) -> [String] {
    snapshot(root).compactMap { name, bytes in
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if bytes[i..<(i + needle.count)].elementsEqual(needle) { return name }
        }
        return nil
    }.sorted()
}
