import Crypto

/// Where one version of one record lives, and what it is: the unit of VeectorDB's index.
public struct IndexEntry: Sendable, Equatable {
    /// What the record does (put, delete, purge).
    public var kind: RecordKind
    /// Bit 0: the value is 64-byte aligned in its segment (memory-mappable).
    public var flags: UInt8
    /// The version number of this key (1, 2, 3… per key).
    public var version: UInt64
    /// The segment file that holds it.
    public var segment: UInt64
    /// Where the record starts in the segment.
    public var recordOffset: UInt64
    /// Where the value starts, relative to the record.
    public var valueOffset: UInt32
    /// The value's length in bytes.
    public var valueLength: UInt32
    /// The digest sync compares.
    public var versionHash: VersionHash

    /// Whether this version marks the key deleted (delete or purge).
    public var isDeletion: Bool { kind != .put }
    /// Whether the value is 64-byte aligned in its segment file.
    public var isAligned: Bool { flags & RecordHeader.flagAligned != 0 }
    /// Whether the application marked the value compressed.
    public var isCompressed: Bool { flags & RecordHeader.flagCompressed != 0 }
}

/// The SHA-256 digest of a record's value, computed when the operation is staged (in the writer's
/// own thread, not the commit leader's) or supplied by a caller that already has it.
public struct ValueDigest: Sendable, Equatable {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps a SHA-256 digest the caller computed (it must be SHA-256 of exactly the value).
    public init(sha256 bytes: [UInt8]) {
        precondition(bytes.count == 32, "a SHA-256 digest has 32 bytes")
        self.bytes = bytes
    }

    /// Hashes `value`.
    public init(of value: UnsafeRawBufferPointer) {
        bytes = Array(SHA256.hash(data: value))
    }

    /// Hashes `value`.
    public init(of value: [UInt8]) {
        bytes = value.withUnsafeBytes { Array(SHA256.hash(data: $0)) }
    }
}

extension VersionHash {
    /// Computes the version hash of a record: the first 16 bytes of
    /// SHA-256(collection ‖ 0x00 ‖ key ‖ version (u64 LE) ‖ kind ‖ SHA-256(value)).
    static func compute(collection: [UInt8], key: [UInt8], version: UInt64, kind: RecordKind,
                        valueDigest: ValueDigest) -> VersionHash {
        var sha = SHA256()
        sha.update(data: collection)
        sha.update(data: [0])
        sha.update(data: key)
        withUnsafeBytes(of: version.littleEndian) { sha.update(bufferPointer: $0) }
        sha.update(data: [kind.rawValue])
        sha.update(data: valueDigest.bytes)
        let digest = sha.finalize()
        var result = VersionHash.zero
        digest.withUnsafeBytes { d in
            withUnsafeMutableBytes(of: &result.bytes) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: d[0..<16])) }
        }
        return result
    }
}

/// The key the index sorts by: `[collection length][collection bytes][key bytes]`, compared bytewise,
/// so every collection's keys are contiguous and in key order.
struct CompositeKey: Hashable, Comparable, Sendable {
    var bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    init(collection: [UInt8], key: [UInt8]) {
        var b = [UInt8]()
        b.reserveCapacity(1 + collection.count + key.count)
        b.append(UInt8(collection.count))
        b.append(contentsOf: collection)
        b.append(contentsOf: key)
        bytes = b
    }

    /// The prefix shared by every key of `collection`.
    static func prefix(collection: [UInt8]) -> [UInt8] { [UInt8(collection.count)] + collection }

    var collectionLength: Int { Int(bytes[0]) }
    var collection: ArraySlice<UInt8> { bytes[1..<(1 + collectionLength)] }
    var key: ArraySlice<UInt8> { bytes[(1 + collectionLength)...] }

    static func < (a: CompositeKey, b: CompositeKey) -> Bool { compareBytes(a.bytes, b.bytes) < 0 }
}

/// Lexicographic comparison of two byte strings: negative, zero or positive.
@inlinable func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0 {
        let c = memcmp(a.baseAddress!, b.baseAddress!, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}

@inlinable func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compareBytes(pa, pb) } }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
