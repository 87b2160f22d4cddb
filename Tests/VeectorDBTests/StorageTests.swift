import Testing
@testable import VeectorDB
import VeectorTestSupport

private func key(_ i: Int) -> [UInt8] { Array("key-\(String(i).leftPadded(to: 6))".utf8) }
private func value(_ i: Int, _ v: Int = 0) -> [UInt8] { Array("value \(i) version \(v)".utf8) }

@Suite("Storage engine")
struct StorageTests {
    @Test func putGetAndVersions() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        let r1 = try db.write { $0.put("notes", key(1), value(1, 1)) }
        let r2 = try db.write { $0.put("notes", key(1), value(1, 2)) }
        #expect(r1.versions == [1])
        #expect(r2.versions == [2])
        #expect(r2.txnID == r1.txnID + 1)
        #expect(try db.get("notes", key(1))?.value == value(1, 2))
        #expect(try db.get("notes", key(1), version: 1)?.value == value(1, 1))
        #expect(db.history("notes", key(1)).map(\.version) == [1, 2])
        #expect(try db.get("notes", key(2)) == nil)
        #expect(try db.get("other", key(1)) == nil)
        try db.close()
    }

    @Test func transactionsAreAtomicAndDeletesKeepHistory() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        try db.write { t in
            for i in 0..<10 { t.put("a", key(i), value(i)) }
            t.put("b", key(0), value(99))
        }
        try db.write { $0.delete("a", key(3)) }
        #expect(try db.get("a", key(3)) == nil)
        #expect(db.history("a", key(3)).map(\.kind) == [.put, .delete])
        #expect(try db.get("a", key(3), version: 1)?.value == value(3))
        #expect(db.scan("a").count == 9)
        #expect(db.scan("a", includeDeleted: true).count == 10)
        #expect(db.scan("b").map(\.key) == [key(0)])
    }

    @Test func scanIsInKeyOrderAcrossCheckpointAndMemtable() throws {
        let dir = TemporaryDirectory()
        var options = DatabaseOptions()
        options.checkpointEntries = 50
        let db = try Database.open(path: dir.path, options: options)
        var rng = SplitMix64(seed: 7)
        let order = (0..<300).shuffled(using: &rng)
        for i in order { try db.write { $0.put("c", key(i), value(i)) } }
        let keys = db.scan("c").map(\.key)
        #expect(keys == (0..<300).map(key))
        let range = db.scan("c", range: KeyRange(lower: key(100), upper: key(110))).map(\.key)
        #expect(range == (100..<110).map(key))
        #expect(db.scan("c", range: .prefix(Array("key-0001".utf8))).count == 100)
        var seen = 0
        try db.forEach("c") { r in
            #expect(r.value == value(Int(String(decoding: r.key.dropFirst(4), as: UTF8.self))!))
            seen += 1
            return seen < 20
        }
        #expect(seen == 20)
    }

    @Test func reopenReplaysTheLogAndUsesTheCheckpoint() throws {
        let dir = TemporaryDirectory()
        var options = DatabaseOptions()
        options.checkpointEntries = 100
        do {
            let db = try Database.open(path: dir.path, options: options)
            for i in 0..<250 { try db.write { $0.put("r", key(i), value(i)) } }
            // No close: the last 50 versions are only in the log.
            #expect(db.statistics().checkpointEntries == 200)
        }
        let db = try Database.open(path: dir.path, options: options)
        #expect(db.recovery.replayedTransactions == 50)
        #expect(db.recovery.truncatedBytes == 0)
        #expect(db.scan("r").count == 250)
        #expect(try db.get("r", key(249))?.value == value(249))
        try db.write { $0.put("r", key(0), value(0, 2)) }
        #expect(db.history("r", key(0)).map(\.version) == [1, 2])
        try db.close()
        let again = try Database.open(path: dir.path, options: options)
        #expect(again.recovery.replayedTransactions == 0)
        #expect(try again.get("r", key(0))?.value == value(0, 2))
    }

    @Test func secondOpenIsRefusedWhileTheFirstIsOpen() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        #expect(throws: StorageError.self) { try Database.open(path: dir.path) }
        let result = Result { () throws(StorageError) in try Database.open(path: dir.path) }
        guard case let .failure(error) = result, case .locked = error else {
            Issue.record("expected .locked, got \(result)")
            return
        }
        #expect(error.description.contains("in use by another process"))
        try db.close()
    }

    @Test func tornTailIsTruncatedToTheLastCommit() throws {
        let dir = TemporaryDirectory()
        var end = 0
        do {
            let db = try Database.open(path: dir.path)
            for i in 0..<20 { try db.write { $0.put("t", key(i), value(i)) } }
            end = Int(db.statistics().activeSegmentEnd)
        }
        let segment = dir.file(Manifest.segmentName(1))
        let bytes = Array(readBytes(segment).prefix(end))
        // Cut in the middle of the last transaction, then append garbage as a torn write would.
        writeBytes(Array(bytes.dropLast(30)) + [1, 2, 3, 4, 5], to: segment)
        let db = try Database.open(path: dir.path)
        #expect(db.scan("t").count == 19)
        #expect(db.recovery.truncatedBytes > 0)
        #expect(db.check().isHealthy)
        try db.write { $0.put("t", key(19), value(19, 2)) }
        #expect(try db.get("t", key(19))?.version == 1)
    }

    @Test func everyTruncationPointYieldsAPrefix() throws {
        let dir = TemporaryDirectory()
        var sizes: [Int] = []
        do {
            var options = DatabaseOptions()
            options.checkpointEntries = 1_000_000
            let db = try Database.open(path: dir.path, options: options)
            for i in 0..<12 {
                try db.write { t in
                    t.put("p", key(i), value(i))
                    t.put("q", key(i), value(i))
                }
                sizes.append(Int(db.statistics().activeSegmentEnd))
            }
        }
        // The segment is zero-filled ahead of its end; cut only within the records.
        let original = Array(readBytes(dir.file(Manifest.segmentName(1))).prefix(sizes.last!))
        for cut in stride(from: 0, to: original.count, by: 37) {
            let copy = TemporaryDirectory()
            for name in listDirectory(dir.path) where name != "LOCK" { writeBytes(readBytes(dir.file(name)), to: copy.file(name)) }
            writeBytes(Array(original.prefix(cut)), to: copy.file(Manifest.segmentName(1)))
            let db = try Database.open(path: copy.path)
            let expected = sizes.filter { $0 <= cut }.count
            #expect(db.scan("p").count == expected, "cut at \(cut)")
            #expect(db.scan("q").count == expected, "cut at \(cut)")
        }
    }

    @Test func flippedByteIsDetectedAndOtherRecordsStayReadable() throws {
        let dir = TemporaryDirectory()
        var offsets: [UInt64] = []
        do {
            let db = try Database.open(path: dir.path)
            for i in 0..<10 { try db.write { $0.put("f", key(i), Array(repeating: UInt8(i), count: 500)) } }
            offsets = (0..<10).map { db.latest("f", key($0))!.recordOffset }
        }
        let segment = dir.file(Manifest.segmentName(1))
        var bytes = readBytes(segment)
        bytes[Int(offsets[4]) + 64 + 1 + 10 + 100] ^= 0x40   // inside record 4's value
        bytes[Int(offsets[7]) + 20] ^= 0x01                   // inside record 7's header
        writeBytes(bytes, to: segment)
        let db = try Database.open(path: dir.path)
        let report = db.check()
        #expect(!report.isHealthy)
        #expect(report.problems.contains { $0.offset == offsets[4] && $0.reason.contains("value checksum") })
        #expect(report.problems.contains { $0.offset == offsets[7] })
        #expect(throws: StorageError.self) { try db.get("f", key(4)) }
        #expect(try db.get("f", key(7)) == nil)   // its only transaction is unreadable
        for i in [0, 1, 2, 3, 5, 6, 8, 9] {
            #expect(try db.get("f", key(i))?.value == Array(repeating: UInt8(i), count: 500))
        }
    }

    @Test func segmentCutShortBehindTheCheckpointStillOpens() throws {
        let dir = TemporaryDirectory()
        var offsets: [UInt64] = []
        do {
            let db = try Database.open(path: dir.path)
            for i in 0..<10 { try db.write { $0.put("s", key(i), Array(repeating: UInt8(i), count: 300)) } }
            offsets = (0..<10).map { db.latest("s", key($0))!.recordOffset }
            try db.close()   // everything is in the checkpoint now
        }
        let segment = dir.file(Manifest.segmentName(1))
        writeBytes(Array(readBytes(segment).prefix(Int(offsets[7]) + 10)), to: segment)
        let db = try Database.open(path: dir.path)
        #expect(db.recovery.damage.contains { $0.reason.contains("shorter") })
        for i in 0..<7 { #expect(try db.get("s", key(i))?.value == Array(repeating: UInt8(i), count: 300)) }
        #expect(throws: StorageError.self) { try db.get("s", key(8)) }
        let report = db.check()
        #expect(report.problems.filter { $0.reason.hasPrefix("lost") }.count == 3)
        // New writes go to a fresh segment, never over offsets the index still names.
        try db.write { $0.put("s", key(8), [8]) }
        #expect(db.latest("s", key(8))!.segment != 1)
        #expect(try db.get("s", key(8))?.value == [8])
        try db.close()
        #expect(try Database.open(path: dir.path).get("s", key(3))?.value == Array(repeating: 3, count: 300))
    }

    @Test func damagedCheckpointIsRebuiltFromTheLog() throws {
        let dir = TemporaryDirectory()
        do {
            let db = try Database.open(path: dir.path)
            for i in 0..<50 { try db.write { $0.put("x", key(i), value(i)) } }
            try db.close()
        }
        let indexName = listDirectory(dir.path).first { $0.hasPrefix("index-") }!
        var bytes = readBytes(dir.file(indexName))
        bytes[100] ^= 0xFF
        writeBytes(bytes, to: dir.file(indexName))
        let db = try Database.open(path: dir.path)
        #expect(db.recovery.rebuiltIndex == false)   // rebuilt and rewritten during open
        #expect(db.recovery.damage.contains { $0.reason.contains("checksum") })
        #expect(db.scan("x").count == 50)
        #expect(db.check().isHealthy)
    }

    @Test func compactionKeepsPolicyAndDropsPurged() throws {
        let dir = TemporaryDirectory()
        var options = DatabaseOptions()
        options.policies = ["settings": .latest(1)]
        options.segmentSize = 64 << 10
        let db = try Database.open(path: dir.path, options: options)
        for v in 0..<20 {
            try db.write { t in
                for i in 0..<10 { t.put("settings", key(i), Array(repeating: UInt8(v), count: 1000)) }
                t.put("docs", key(0), Array(repeating: UInt8(v), count: 1000))
            }
        }
        try db.write { t in
            t.put("blobs", key(1), [1, 2, 3])
            t.purge("blobs", key(1))
            t.delete("settings", key(9))
        }
        let before = db.statistics()
        let report = try db.compact()
        #expect(report.bytesAfter < report.bytesBefore / 5)
        #expect(db.history("settings", key(0)).count == 1)
        #expect(db.history("settings", key(9)).isEmpty)
        #expect(db.history("docs", key(0)).count == 20)
        #expect(db.history("blobs", key(1)).isEmpty)
        #expect(try db.get("settings", key(3))?.value == Array(repeating: 19, count: 1000))
        #expect(try db.get("docs", key(0), version: 5)?.value == Array(repeating: 4, count: 1000))
        #expect(db.statistics().segmentBytes < before.segmentBytes)
        #expect(db.check().isHealthy)
        try db.write { $0.put("docs", key(0), [42]) }
        try db.close()
        let reopened = try Database.open(path: dir.path, options: options)
        #expect(reopened.history("docs", key(0)).count == 21)
        #expect(try reopened.get("docs", key(0))?.value == [42])
        #expect(reopened.recovery.removedFiles.isEmpty)
    }

    @Test func compactionDoesNotBlockReadersOrLoseConcurrentWrites() throws {
        let dir = TemporaryDirectory()
        var options = DatabaseOptions()
        options.policies = ["k": .latest(1)]
        options.segmentSize = 256 << 10
        let db = try Database.open(path: dir.path, options: options)
        for v in 0..<5 { try db.write { t in for i in 0..<200 { t.put("k", key(i), value(i, v)) } } }
        let errors = ErrorBox()
        let report = ReportBox()
        DispatchQueue.concurrentPerform(iterations: 4) { n in
            switch n {
            case 0:
                do { report.set(try db.compact()) } catch { errors.add("compaction: \(error)") }
            case 1:
                for i in 200..<260 { do { try db.write { $0.put("k", key(i), value(i)) } } catch { errors.add("\(error)") } }
            default:
                for round in 0..<300 {
                    let i = (round * 7 + n) % 200
                    do {
                        if try db.get("k", key(i)) == nil { errors.add("key \(i) missing") }
                    } catch { errors.add("\(error)") }
                }
            }
        }
        #expect(report.value?.versionsDropped == 800)
        #expect(errors.messages.isEmpty)
        #expect(db.scan("k").count == 260)
        #expect(db.check().isHealthy)
        try db.close()
        let reopened = try Database.open(path: dir.path, options: options)
        #expect(reopened.scan("k").count == 260)
    }

    @Test func fingerprintsMatchExactlyWhenContentsMatch() throws {
        let a = TemporaryDirectory(), b = TemporaryDirectory()
        let dbA = try Database.open(path: a.path), dbB = try Database.open(path: b.path)
        for i in 0..<100 { try dbA.write { $0.put("s", key(i), value(i)) } }
        for i in (0..<100).reversed() { try dbB.write { $0.put("s", key(i), value(i)) } }
        #expect(dbA.fingerprint("s") == dbB.fingerprint("s"))
        #expect(dbA.keyVersions("s") == dbB.keyVersions("s"))
        // Split ranges add up to the whole.
        let mid = key(50)
        let left = dbA.fingerprint("s", range: KeyRange(upper: mid)), right = dbA.fingerprint("s", range: KeyRange(lower: mid))
        #expect(left + right == dbA.fingerprint("s"))
        #expect(left.count == 50)
        // One changed key changes the fingerprint of exactly the ranges that hold it.
        try dbB.write { $0.put("s", key(70), value(70, 1)) }
        #expect(dbA.fingerprint("s") != dbB.fingerprint("s"))
        #expect(dbA.fingerprint("s", range: KeyRange(upper: mid)) == dbB.fingerprint("s", range: KeyRange(upper: mid)))
        let diff = zip(dbA.keyVersions("s"), dbB.keyVersions("s")).filter { $0 != $1 }.map(\.0.key)
        #expect(diff == [key(70)])
        // A deletion is a difference too.
        try dbA.write { $0.delete("s", key(3)) }
        #expect(dbA.fingerprint("s", range: KeyRange(upper: mid)) != dbB.fingerprint("s", range: KeyRange(upper: mid)))
    }

    @Test func concurrentCommitsShareFsyncsAndAllSurvive() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        let errors = ErrorBox()
        // Real threads: a dispatch pool may run its iterations one after another when busy.
        let done = DispatchSemaphore(value: 0)
        for t in 0..<4 {
            Thread {
                for i in 0..<50 {
                    do { try db.write { $0.put("g", key(t * 1000 + i), value(i)) } } catch { errors.add("\(error)") }
                }
                done.signal()
            }.start()
        }
        for _ in 0..<4 { done.wait() }
        #expect(errors.messages.isEmpty)
        #expect(db.scan("g").count == 200)
        let stats = db.statistics()
        #expect(stats.transactionsCommitted == 200)
        #expect(stats.commitBatches < 200, "four writers never shared an fsync")
        try db.close()
        #expect(try Database.open(path: dir.path).scan("g").count == 200)
    }

    @Test func alignedValuesAreMappable() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        var rng = SplitMix64(seed: 3)
        for i in 0..<5 {
            let blob = rng.bytes(1000 + i * 333)
            try db.write { $0.put("blk", key(i), blob, aligned: true) }
            let e = db.latest("blk", key(i))!
            #expect((e.recordOffset + UInt64(e.valueOffset)) % 64 == 0)
            let m = try db.mappedValue(of: e)
            #expect(Array(m.bytes) == blob)
            #expect(Int(bitPattern: m.bytes.baseAddress!) % 64 == 0)
        }
    }

    @Test func invalidArgumentsAreRejectedBeforeWriting() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        #expect(throws: StorageError.self) { try db.write { $0.put("", [1], [1]) } }
        #expect(throws: StorageError.self) { try db.write { $0.put("c", Array(repeating: 0, count: 70_000), [1]) } }
        #expect(db.statistics().lastTxnID == 0)
    }
}

/// Collects messages from several threads.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ m: String) { lock.lock(); list.append(m); lock.unlock() }
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return list }
}

/// Holds one value set from another thread.
final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: CompactionReport?
    func set(_ r: CompactionReport) { lock.lock(); stored = r; lock.unlock() }
    var value: CompactionReport? { lock.lock(); defer { lock.unlock() }; return stored }
}

import Foundation
import Dispatch
