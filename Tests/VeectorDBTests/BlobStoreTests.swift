import ContentID
import Testing
@testable import VeectorDB
import VeectorTestSupport

@Suite("Blob store")
struct BlobStoreTests {
    @Test func roundTripAndContentID() throws {
        let dir = TemporaryDirectory()
        let store = BlobStore(database: try Database.open(path: dir.path))
        let hello = Array("hello world".utf8)
        let cid = try store.put(hello)
        #expect(cid.description == "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        #expect(try store.get(cid, verify: true) == hello)
        #expect(store.contains(cid))
        #expect(throws: BlobError.self) { try store.get(CID.sha256(of: [1, 2, 3])) }
    }

    @Test func editsAndDuplicatesCostOnlyNewChunks() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        let store = BlobStore(database: db)
        var rng = SplitMix64(seed: 11)
        let original = rng.bytes(3 << 20)
        let a = try store.put(original)
        let chunksAfterFirst = db.scan(BlobStore.chunks).count
        let bytesAfterFirst = db.statistics().activeSegmentEnd
        // The same content again costs nothing.
        #expect(try store.put(original) == a)
        #expect(db.statistics().activeSegmentEnd == bytesAfterFirst)
        // An insertion in the middle adds a few chunks, not a copy.
        var edited = original
        edited.insert(contentsOf: Array("an edit in the middle".utf8), at: 1_500_000)
        let b = try store.put(edited)
        let added = db.scan(BlobStore.chunks).count - chunksAfterFirst
        #expect(added >= 1 && added <= 3)
        #expect(db.statistics().activeSegmentEnd - bytesAfterFirst < 1 << 20)
        #expect(try store.get(b, verify: true) == edited)
        #expect(try store.get(a, verify: true) == original)
    }

    @Test func compressibleChunksAreCompressedAndIncompressibleAreNot() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        let store = BlobStore(database: db)
        let text = Array(String(repeating: "Veector keeps the user's documents private. ", count: 20_000).utf8)
        let cid = try store.put(text)
        #expect(db.statistics().activeSegmentEnd < UInt64(text.count / 5))
        #expect(db.scan(BlobStore.chunks).allSatisfy { $0.entry.isCompressed })
        #expect(try store.get(cid, verify: true) == text)
        var rng = SplitMix64(seed: 5)
        let noise = rng.bytes(300_000)
        let n = try store.put(noise)
        let noiseChunks = try store.manifest(n).chunks.map { db.latest(BlobStore.chunks, $0.cid.bytes)! }
        #expect(noiseChunks.allSatisfy { !$0.isCompressed })
        #expect(try store.get(n) == noise)
    }

    @Test func alignedBlobsAreMappedInPlace() throws {
        let dir = TemporaryDirectory()
        let store = BlobStore(database: try Database.open(path: dir.path))
        var rng = SplitMix64(seed: 9)
        let block = rng.bytes(1_000_003)
        let cid = try store.put(block, layout: .aligned)
        let mapping = try store.map(cid)
        #expect(Int(bitPattern: mapping.bytes.baseAddress!) % 64 == 0)
        #expect(CID.sha256(of: mapping.bytes) == cid)
        #expect(try store.get(cid) == block)
        let chunked = try store.put(rng.bytes(1000))
        #expect(throws: BlobError.self) { try store.map(chunked) }
    }

    @Test func damagedChunkIsReportedNotReturned() throws {
        let dir = TemporaryDirectory()
        var rng = SplitMix64(seed: 21)
        let data = rng.bytes(200_000)
        var cid: CID
        var offset: UInt64 = 0
        do {
            let db = try Database.open(path: dir.path)
            let store = BlobStore(database: db)
            cid = try store.put(data)
            let first = try store.manifest(cid).chunks[0].cid
            let e = db.latest(BlobStore.chunks, first.bytes)!
            offset = e.recordOffset + UInt64(e.valueOffset) + 1000
            try db.close()
        }
        let segment = dir.file(Manifest.segmentName(1))
        var bytes = readBytes(segment)
        bytes[Int(offset)] ^= 0x10
        writeBytes(bytes, to: segment)
        let store = BlobStore(database: try Database.open(path: dir.path))
        #expect(throws: BlobError.self) { try store.get(cid) }
    }
}
