import ContentID
import Testing
@testable import VeectorDB
import VeectorTestSupport

// Test vectors of Spec/veectordb.md ("Test vectors"). Every expected byte string below was computed
// independently in Python 3 from the spec's text alone: struct.pack for the layouts, hashlib.sha256
// for version hashes and CIDs, and a bitwise CRC-32C (reflected polynomial 0x82F63B78, initial value
// and final XOR 0xFFFFFFFF) written for the purpose — not by running the Swift code — so these tests
// check the implementation against the spec rather than echo it.

private func bytes(_ hex: String) -> [UInt8] {
    let chars = Array(hex.utf8)
    precondition(chars.count % 2 == 0)
    func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
    return stride(from: 0, to: chars.count, by: 2).map { nibble(chars[$0]) << 4 | nibble(chars[$0 + 1]) }
}

private func hexString(_ b: some Collection<UInt8>) -> String {
    b.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
}

private func hashFromHex(_ hex: String) -> VersionHash {
    var h = VersionHash.zero
    let b = bytes(hex)
    withUnsafeMutableBytes(of: &h.bytes) { $0.copyBytes(from: b) }
    return h
}

private let collection = Array("notes".utf8)
private let key = Array("k1".utf8)
private let value = Array("hello".utf8)

/// Encodes one record the way `Database.writeBatch` does: header, collection, key, padding, value,
/// zeros to the next multiple of 8.
private func encodeRecord(kind: RecordKind, aligned: Bool, txnID: UInt64, version: UInt64, opIndex: UInt32,
                          at offset: UInt64, into w: inout ByteWriter) -> RecordHeader {
    var h = value.withUnsafeBytes { v in
        RecordHeader(kind: kind, flags: aligned ? RecordHeader.flagAligned : 0,
                     collectionLength: UInt8(collection.count), keyLength: UInt16(key.count),
                     valueLength: UInt32(value.count), valueCRC: CRC32C.checksum(v),
                     txnID: txnID, version: version, opIndex: opIndex,
                     versionHash: .compute(collection: collection, key: key, version: version, kind: kind,
                                           valueDigest: ValueDigest(of: v)))
    }
    h.encode(into: &w, collection: collection, key: key, fileOffset: offset)
    w.raw(value)
    w.zeros(h.totalLength - h.valueOffset - value.count)
    return h
}

/// Encodes the commit record that closes a transaction of the given operation header checksums.
private func encodeCommit(txnID: UInt64, opCRCs: [UInt32], at offset: UInt64, into w: inout ByteWriter) -> RecordHeader {
    var crc: UInt32 = 0
    for c in opCRCs { crc = withUnsafeBytes(of: c.littleEndian) { CRC32C.checksum($0, continuing: crc) } }
    var h = RecordHeader(kind: .commit, collectionLength: 0, keyLength: 0, valueLength: 0, valueCRC: crc,
                         txnID: txnID, version: 0, opIndex: UInt32(opCRCs.count), versionHash: .zero)
    h.encode(into: &w, collection: [], key: [], fileOffset: offset)
    return h
}

// Vector 1: put ("notes", "k1", "hello"), txnID 7, version 3, at file offset 0, then its commit record.
private let putVector =
    "564442527558f43e0100050002000000050000004cbb719a0700000000000000" +
    "030000000000000000000000000000002ac09befa07dbdf4cae726863cfe75c0" +
    "6e6f7465736b3168656c6c6f00000000"
private let commitVector =
    "56444252d2ddc6610400000000000000000000007f50fa620700000000000000" +
    "0000000000000000010000000000000000000000000000000000000000000000"

// Vector 2: the same put with the aligned flag, starting at file offset 8 (padLength 49).
private let alignedVector =
    "56444252ace3f6d30101050002003100050000004cbb719a0700000000000000" +
    "030000000000000000000000000000002ac09befa07dbdf4cae726863cfe75c0" +
    "6e6f7465736b3100000000000000000000000000000000000000000000000000" +
    "00000000000000000000000000000000000000000000000068656c6c6f000000"

// Vector 6: what a real database writes for its first transaction (txnID 1, version 1).
private let realSegmentVector =
    "564442527f16df480100050002000000050000004cbb719a0100000000000000" +
    "010000000000000000000000000000002b2c75308f43853634249ef4e31f37a2" +
    "6e6f7465736b3168656c6c6f00000000564442523be1baeb0400000000000000" +
    "00000000d5631d84010000000000000000000000000000000100000050000000" +
    "00000000000000000000000000000000"
private let manifestNewVector =
    "5644424d01000000010000000000000002000000000000000000000000000000" +
    "0100000000000000000000000000000000000000000000000100000001000000" +
    "00000000b21e94fe"
private let manifestClosedVector =
    "5644424d01000000020000000000000003000000000000000200000000000000" +
    "0100000000000000900000000000000001000000000000000100000001000000" +
    "000000004c192b19"
private let indexClosedVector =
    "5644424901000000010000000000000080000000000000000800000000000000" +
    "0100000000000000bd87303add93a13b000000000000000000000000e8824bee" +
    "0000000000000000080000000100000001000000000000000100000000000000" +
    "000000000000000005000000470000002b2c75308f43853634249ef4e31f37a2" +
    "056e6f7465736b31"

@Suite("On-disk format test vectors (Spec/veectordb.md)")
struct FormatVectorTests {
    @Test func crc32cCheckValues() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum(value) == 0x9A71_BB4C)
        // Continuing a checksum equals checksumming the concatenation.
        #expect(CRC32C.checksum(Array(" world".utf8), continuing: CRC32C.checksum(value))
                == CRC32C.checksum(Array("hello world".utf8)))
    }

    @Test func putAndCommitRecords() throws {
        var w = ByteWriter()
        let put = encodeRecord(kind: .put, aligned: false, txnID: 7, version: 3, opIndex: 0, at: 0, into: &w)
        #expect(put.padLength == 0)
        #expect(put.valueOffset == 71)
        #expect(put.totalLength == 80)
        #expect(put.headerCRC == 0x3EF4_5875)
        #expect(hexString(w.bytes) == putVector)
        let start = w.bytes.count
        let commit = encodeCommit(txnID: 7, opCRCs: [put.headerCRC], at: UInt64(start), into: &w)
        #expect(commit.valueCRC == 0x62FA_507F)
        #expect(commit.totalLength == 64)
        #expect(hexString(w.bytes[start...]) == commitVector)

        // A reader finds one complete transaction in these bytes.
        let scan = w.bytes.withUnsafeBytes { RecordScanner(segment: 1, bytes: $0, baseOffset: 0, verifyValues: true).scan() }
        #expect(scan.damage.isEmpty && !scan.tailIsGarbage && scan.end == 144)
        var assembler = TransactionAssembler(segment: 1)
        for r in scan.records { assembler.add(r) }
        #expect(assembler.complete.count == 1 && assembler.incomplete.isEmpty && assembler.trailing.isEmpty)
        #expect(assembler.complete.first?.txnID == 7)
        #expect(assembler.complete.first?.ops.first?.valueIntact == true)

        // Decoding gives back the header that was encoded.
        let decoded = w.bytes.withUnsafeBytes { RecordHeader.decode(UnsafeRawBufferPointer(rebasing: $0[0..<64])) }
        #expect(decoded == put)
    }

    @Test func alignedPutAtOffset8() {
        var w = ByteWriter()
        let h = encodeRecord(kind: .put, aligned: true, txnID: 7, version: 3, opIndex: 0, at: 8, into: &w)
        // 8 + 64 + 5 + 2 = 79; the next multiple of 64 is 128, so 49 bytes of padding.
        #expect(h.padLength == 49)
        #expect(h.valueOffset == 120)
        #expect((8 + h.valueOffset) % 64 == 0)
        #expect(h.totalLength == 128)
        #expect(hexString(w.bytes) == alignedVector)
    }

    @Test func versionHashVector() {
        // Python: d = hashlib.sha256(b"hello").digest()
        //         hashlib.sha256(b"notes" + b"\x00" + b"k1" + struct.pack("<Q", 3) + b"\x01" + d).digest()[:16]
        let digest = ValueDigest(of: value)
        #expect(hexString(digest.bytes) == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        let h = VersionHash.compute(collection: collection, key: key, version: 3, kind: .put, valueDigest: digest)
        #expect(h.description == "2ac09befa07dbdf4cae726863cfe75c0")
        // As the two little-endian words fingerprints add.
        #expect(h.words.0 == 0xF4BD_7DA0_EF9B_C02A)
        #expect(h.words.1 == 0xC075_FE3C_8626_E7CA)
        let h1 = VersionHash.compute(collection: collection, key: key, version: 1, kind: .put, valueDigest: digest)
        #expect(h1.description == "2b2c75308f43853634249ef4e31f37a2")
        // A deletion hashes SHA-256 of the empty value.
        let d = VersionHash.compute(collection: collection, key: key, version: 4, kind: .delete, valueDigest: ValueDigest(of: [UInt8]()))
        #expect(d.description == "89772b8efedf4a69077b6e8a33a79cc5")
    }

    @Test func manifestEncoding() throws {
        var m = Manifest()
        m.generation = 2
        m.nextFileNumber = 3
        m.indexFile = 2
        m.replaySegment = 1
        m.replayOffset = 144
        m.checkpointTxnID = 1
        m.segments = [1]
        #expect(hexString(m.encode()) == manifestClosedVector)
        #expect(try Manifest.decode(bytes(manifestClosedVector), path: "MANIFEST") == m)

        var fresh = Manifest()
        fresh.generation = 1
        fresh.nextFileNumber = 2
        fresh.replaySegment = 1
        fresh.segments = [1]
        #expect(hexString(fresh.encode()) == manifestNewVector)

        // One flipped bit fails the checksum.
        var damaged = bytes(manifestClosedVector)
        damaged[40] ^= 1
        #expect(throws: StorageError.self) { try Manifest.decode(damaged, path: "MANIFEST") }
    }

    @Test func rangeFingerprintCarries() {
        // a = (low 0xffff_ffff_ffff_ffff, high 1), b = (low 2, high 3): the low words overflow by one.
        let a = hashFromHex("ffffffffffffffff" + "0100000000000000")
        let b = hashFromHex("0200000000000000" + "0300000000000000")
        var fp = RangeFingerprint()
        fp.add(a)
        fp.add(b)
        #expect(fp.count == 2 && fp.low == 1 && fp.high == 5)
        #expect(fp.description == "2:00000000000000050000000000000001")

        // Adding the all-ones hash (2^128 − 1) is subtracting 1 mod 2^128 (Python: sum of
        // int.from_bytes(h, "little") mod 2**128).
        var g = RangeFingerprint()
        g.add(hashFromHex("2ac09befa07dbdf4cae726863cfe75c0"))
        g.add(hashFromHex("ffffffffffffffffffffffffffffffff"))
        #expect(g.count == 2 && g.low == 0xF4BD_7DA0_EF9B_C029 && g.high == 0xC075_FE3C_8626_E7CA)

        // Combining two disjoint ranges gives the same as adding every hash to one.
        var left = RangeFingerprint(), right = RangeFingerprint()
        left.add(a)
        right.add(b)
        #expect(left + right == fp)
    }

    @Test func realDatabaseWritesTheVectors() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        #expect(hexString(readBytes(dir.file("MANIFEST"))) == manifestNewVector)
        let receipt = try db.write { $0.put("notes", key, value) }
        #expect(receipt == CommitReceipt(txnID: 1, versions: [1]))
        // While open, the segment is zero-filled ahead of the log's end to the next MiB.
        let open = readBytes(dir.file("seg-00000001.vlog"))
        #expect(open.count == 1 << 20)
        #expect(hexString(open.prefix(144)) == realSegmentVector)
        #expect(open[144...].allSatisfy { $0 == 0 })
        try db.close()

        // Closing checkpoints the index, trims the zero tail and rewrites the manifest.
        #expect(listDirectory(dir.path) == ["LOCK", "MANIFEST", "index-00000002.vidx", "seg-00000001.vlog"])
        #expect(hexString(readBytes(dir.file("seg-00000001.vlog"))) == realSegmentVector)
        #expect(hexString(readBytes(dir.file("MANIFEST"))) == manifestClosedVector)
        #expect(hexString(readBytes(dir.file("index-00000002.vidx"))) == indexClosedVector)

        let again = try Database.open(path: dir.path)
        #expect(again.recovery.replayedTransactions == 0)
        #expect(try again.get("notes", key)?.value == value)
        try again.close()
    }

    @Test func blobManifestRoundTrip() throws {
        // "hello world" as two chunks, "hello " and "world" (CIDv1 raw sha2-256 each).
        let hello = CID.sha256(of: Array("hello ".utf8))
        let world = CID.sha256(of: Array("world".utf8))
        #expect(hexString(hello.bytes) == "015512205e3235a8346e5a4585f8c58562f5052b8fe26a3bb122e1e96c76784964dfc461")
        let m = BlobManifest(length: 11, layout: .chunked,
                             chunks: [.init(cid: hello, length: 6), .init(cid: world, length: 5)])
        let expected =
            "01010b0000000000000002000000" +
            "24015512205e3235a8346e5a4585f8c58562f5052b8fe26a3bb122e1e96c76784964dfc46106000000" +
            "2401551220486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a705000000"
        let encoded = m.encode()
        #expect(encoded.count == 96)
        #expect(hexString(encoded) == expected)
        #expect(try BlobManifest.decode(bytes(expected)) == m)
    }

    @Test func blobRecords() throws {
        let dir = TemporaryDirectory()
        let db = try Database.open(path: dir.path)
        let store = BlobStore(database: db)

        // A blob under 256 bytes is one chunk stored as is (flag bit 1 clear), even with compression on.
        let data = Array("hello world".utf8)
        let cid = try store.put(data)
        #expect(cid.description == "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        let chunk = try #require(db.latest(BlobStore.chunks, cid.bytes))
        #expect(chunk.flags == 0)
        #expect(try db.get(BlobStore.chunks, cid.bytes)?.value == data)
        let manifest = try #require(try db.get(BlobStore.manifests, cid.bytes)).value
        #expect(hexString(manifest) ==
            "01010b0000000000000001000000" +
            "2401551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde90b000000")
        #expect(try store.get(cid, verify: true) == data)

        // A compressible chunk is stored as one zstd frame with flag bit 1 set; its version hash
        // covers SHA-256 of the stored (compressed) bytes.
        let zeros = [UInt8](repeating: 0, count: 4096)
        let zcid = try store.put(zeros)
        let z = try #require(db.latest(BlobStore.chunks, zcid.bytes))
        #expect(z.flags == RecordHeader.flagCompressed)
        let stored = try #require(try db.get(BlobStore.chunks, zcid.bytes)).value
        #expect(Array(stored.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        #expect(z.versionHash == VersionHash.compute(collection: Array(BlobStore.chunks.utf8), key: zcid.bytes, version: 1,
                                                     kind: .put, valueDigest: ValueDigest(of: stored)))
        #expect(try store.get(zcid, verify: true) == zeros)
        try db.close()
    }
}
