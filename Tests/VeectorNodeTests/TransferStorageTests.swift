import ContentID
import Foundation
import Testing
import VeectorDB
import VeectorNode
import VeectorTestSupport
import VeectorTransfer

/// The node's transfer storage: what it serves (`NodeContentSource`), how a fetch keeps its chunks
/// (`FetchStore`), and the model announcement payload.
@Suite("Transfer storage and announcements")
struct TransferStorageTests {
    @Test("a stored blob is served as verifiable chunks; a corrupting source's chunks fail verification")
    func contentSource() throws {
        let dir = TemporaryDirectory(prefix: "vtransfer")
        let db = try Database.open(path: dir.file("db"))
        defer { try? db.close() }
        var rng = SplitMix64(seed: 3)
        let bytes = rng.bytes(NodeContentSource.chunkSize * 3 + 17)
        let cid = try BlobStore(database: db).put(bytes, layout: .aligned)
        let source = NodeContentSource(database: db)
        let m = try #require(source.manifest(for: cid))
        #expect(m.content == cid && m.size == UInt64(bytes.count) && m.chunks.count == 4)
        for i in 0..<4 { #expect(m.verifies(try #require(source.chunk(of: cid, index: i)), index: i)) }
        #expect(source.chunk(of: cid, index: 4) == nil)
        #expect(source.manifest(for: .sha256(of: [1, 2, 3])) == nil)
        let bad = NodeContentSource(database: db, corruptChunks: true)
        #expect(!m.verifies(try #require(bad.chunk(of: cid, index: 1)), index: 1))
        // Chunked blobs are served too.
        let doc = rng.bytes(300_000)
        let docCID = try BlobStore(database: db).put(doc)
        let dm = try #require(source.manifest(for: docCID))
        let whole = try (0..<dm.chunks.count).flatMap { try #require(source.chunk(of: docCID, index: $0)) }
        #expect(whole == doc)
    }

    @Test("a fetch's manifest and chunks survive a reopen; the whole is assembled only when complete and correct")
    func fetchStoreResumes() throws {
        let dir = TemporaryDirectory(prefix: "vtransfer")
        var rng = SplitMix64(seed: 9)
        let bytes = rng.bytes(5 * 1000)
        let (manifest, chunks) = try TransferManifest.splitting(bytes, chunkSize: 1000)
        do {
            let db = try Database.open(path: dir.file("db"))
            let store = FetchStore(database: db)
            #expect(store.resumeState(of: manifest.content) == nil)
            try store.begin(manifest)
            try store.store(chunk: chunks[0])
            try store.store(chunk: chunks[3])
            #expect(store.assemble(manifest) == nil)
            try db.close()
        }
        let db = try Database.open(path: dir.file("db"))
        defer { try? db.close() }
        let store = FetchStore(database: db)
        let resumed = try #require(store.resumeState(of: manifest.content))
        #expect(resumed.manifest == manifest)
        #expect(resumed.held == [manifest.chunks[0].cid, manifest.chunks[3].cid])
        for i in [1, 2, 4] { try store.store(chunk: chunks[i]) }
        let whole = try #require(store.assemble(manifest))
        #expect(whole == bytes)
        try store.finish(manifest, whole: whole, aligned: true)
        #expect(store.resumeState(of: manifest.content) == nil)
        #expect(try BlobStore(database: db).get(manifest.content, verify: true) == bytes)
    }

    @Test("a manifest that lies about its content is not assembled")
    func lyingManifest() throws {
        let dir = TemporaryDirectory(prefix: "vtransfer")
        let db = try Database.open(path: dir.file("db"))
        defer { try? db.close() }
        let real = try TransferManifest.splitting(Array(repeating: 7, count: 3000), chunkSize: 1000)
        let other = try TransferManifest.splitting(Array(repeating: 8, count: 3000), chunkSize: 1000)
        // Claims `real`'s content but lists `other`'s chunks.
        let liar = try TransferManifest(content: real.manifest.content, chunks: other.manifest.chunks.map { ($0.size, $0.digest) })
        let store = FetchStore(database: db)
        for c in other.chunks { try store.store(chunk: c) }
        #expect(store.assemble(liar) == nil)
        #expect(store.assemble(other.manifest) != nil)
    }

    @Test("model announcements: the Spec vector, a round trip, and malformed payloads refused with the field named")
    func announcement() throws {
        let cid = CID.sha256(of: Array("model manifest".utf8))
        let a = ModelAnnouncement(name: "smollm2", manifest: cid, arch: "llama", bytes: 1234)
        let encoded = a.encoded()
        let expected = Array("d4:arch5:llama5:bytesi1234e8:manifest36:".utf8) + cid.bytes + Array("4:name7:smollm21:vi1ee".utf8)
        #expect(encoded == expected)
        #expect(try ModelAnnouncement(decoding: encoded) == a)
        #expect(cid.bytes.count == 36)
        #expect(throws: ContentShareError.badAnnouncement("field 'name' is not a valid model name")) {
            try ModelAnnouncement(decoding: Array("d4:arch5:llama5:bytesi1e8:manifest1:x4:name3:a b1:vi1ee".utf8))
        }
        #expect(throws: ContentShareError.badAnnouncement("field 'manifest' is not a binary sha2-256 CID")) {
            try ModelAnnouncement(decoding: Array("d4:arch5:llama5:bytesi1e8:manifest1:x4:name1:a1:vi1ee".utf8))
        }
        #expect(throws: ContentShareError.badAnnouncement("field 'v' is missing")) {
            try ModelAnnouncement(decoding: Array("d4:arch5:llamae".utf8))
        }
        #expect(throws: ContentShareError.self) { try ModelAnnouncement(decoding: [0xff]) }
    }
}
