/// What a log record does.
public enum RecordKind: UInt8, Sendable, Codable {
    /// A new version of a key with a value.
    case put = 1
    /// A tombstone: the key is deleted from this version on; history stays until compaction policy drops it.
    case delete = 2
    /// A purge: the key and all its versions are dropped at the next compaction, whatever the policy.
    case purge = 3
    /// Ends a transaction: its operations count only if this record is present and intact.
    case commit = 4
}

/// The fixed 64-byte header of every record in a log segment (see Spec/veectordb.md, "Records").
///
/// Layout, little-endian:
/// ```
///  0 u32 magic "VDBR"          4 u32 headerCRC (CRC-32C of bytes 8..<64+collection+key)
///  8 u8  kind                  9 u8  flags (bit 0: value is 64-byte aligned in the file)
///        (bit 1: the application marked the value zstd-compressed)
/// 10 u8  collectionLength     11 u8  reserved (0)
/// 12 u16 keyLength            14 u16 padLength (zeros between key and value)
/// 16 u32 valueLength          20 u32 valueCRC (CRC-32C of the value; for commit: of the ops' header CRCs)
/// 24 u64 txnID                32 u64 version (for commit: 0)
/// 40 u32 opIndex (commit: opCount)          44 u32 batchDistance (commit: bytes back to the start
///                                               of the group-commit batch it was written in; else 0)
/// 48 16 bytes versionHash (first 16 bytes of SHA-256; zero for commit)
/// ```
struct RecordHeader: Equatable {
    static let size = 64
    static let magic: UInt32 = 0x5242_4456 // "VDBR" read as little-endian
    static let alignment = 64
    static let flagAligned: UInt8 = 1
    static let flagCompressed: UInt8 = 2

    var headerCRC: UInt32 = 0
    var kind: RecordKind
    var flags: UInt8 = 0
    var collectionLength: UInt8
    var keyLength: UInt16
    var padLength: UInt16 = 0
    var valueLength: UInt32
    var valueCRC: UInt32
    var txnID: UInt64
    var version: UInt64
    var opIndex: UInt32
    var batchDistance: UInt32 = 0
    var versionHash: VersionHash

    /// Bytes from the record start to the first value byte.
    var valueOffset: Int { Self.size + Int(collectionLength) + Int(keyLength) + Int(padLength) }
    /// The record's whole length on disk, padded to a multiple of 8.
    var totalLength: Int { (valueOffset + Int(valueLength) + 7) & ~7 }
    /// Bytes covered by the header checksum (from offset 8 to the end of the key).
    var checkedLength: Int { Self.size + Int(collectionLength) + Int(keyLength) - 8 }

    /// Decodes a header from the first 64 bytes of `buffer`, or nil if the magic or kind is wrong.
    static func decode(_ b: UnsafeRawBufferPointer) -> RecordHeader? {
        guard b.count >= size, b.le(UInt32.self, at: 0) == magic,
              let kind = RecordKind(rawValue: b[8]) else { return nil }
        var hash = VersionHash.zero
        withUnsafeMutableBytes(of: &hash.bytes) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: b[48..<64])) }
        return RecordHeader(
            headerCRC: b.le(UInt32.self, at: 4), kind: kind, flags: b[9], collectionLength: b[10],
            keyLength: b.le(UInt16.self, at: 12), padLength: b.le(UInt16.self, at: 14),
            valueLength: b.le(UInt32.self, at: 16), valueCRC: b.le(UInt32.self, at: 20),
            txnID: b.le(UInt64.self, at: 24), version: b.le(UInt64.self, at: 32),
            opIndex: b.le(UInt32.self, at: 40), batchDistance: b.le(UInt32.self, at: 44), versionHash: hash)
    }

    /// Appends this header, the collection and key, and padding so the value starts at a
    /// 64-byte file offset when `aligned` — then fills in the header checksum.
    /// `fileOffset` is where the record will start in its segment.
    mutating func encode(into w: inout ByteWriter, collection: [UInt8], key: [UInt8], fileOffset: UInt64) {
        let start = w.bytes.count
        if flags & Self.flagAligned != 0 {
            let unpadded = fileOffset + UInt64(Self.size + collection.count + key.count)
            padLength = UInt16((UInt64(Self.alignment) - unpadded % UInt64(Self.alignment)) % UInt64(Self.alignment))
        }
        w.u32(Self.magic); w.u32(0)
        w.u8(kind.rawValue); w.u8(flags); w.u8(collectionLength); w.u8(0)
        w.u16(keyLength); w.u16(padLength)
        w.u32(valueLength); w.u32(valueCRC)
        w.u64(txnID); w.u64(version)
        w.u32(opIndex); w.u32(batchDistance)
        withUnsafeBytes(of: versionHash.bytes) { w.raw($0) }
        w.raw(collection); w.raw(key)
        let crc = w.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 8)...])) }
        w.patch32(crc, at: start + 4)
        headerCRC = crc
        w.zeros(Int(padLength))
    }
}

/// A 16-byte digest identifying one version of one record: the first 16 bytes of
/// SHA-256(collection ‖ 0x00 ‖ key ‖ version (u64 LE) ‖ kind ‖ SHA-256(value)). Sync compares these.
public struct VersionHash: Hashable, Sendable, CustomStringConvertible {
    /// The digest bytes.
    public var bytes: (UInt64, UInt64)

    /// All zero (used by commit records).
    public static let zero = VersionHash(bytes: (0, 0))

    /// The digest as two 64-bit words, for fingerprint arithmetic.
    public var words: (UInt64, UInt64) { (UInt64(littleEndian: bytes.0), UInt64(littleEndian: bytes.1)) }

    public static func == (a: VersionHash, b: VersionHash) -> Bool { a.bytes == b.bytes }
    public func hash(into h: inout Hasher) { h.combine(bytes.0); h.combine(bytes.1) }

    /// Lower-case hex.
    public var description: String {
        withUnsafeBytes(of: bytes) { $0.map { String($0, radix: 16).leftPadded(to: 2) }.joined() }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
