/// A key and the hash of its newest version (deletions included: a deletion must sync too).
public struct KeyVersion: Sendable, Equatable {
    /// The key.
    public var key: [UInt8]
    /// The newest version number.
    public var version: UInt64
    /// The newest version's hash.
    public var versionHash: VersionHash
    /// Whether the newest version is a deletion.
    public var isDeletion: Bool
}

/// A summary of a key range that two stores compare before exchanging anything: equal
/// fingerprints mean (with overwhelming probability) equal contents. It is the count of keys and
/// the sum, modulo 2^128, of their newest version hashes — additive, so ranges can be split and
/// combined, which is what range-based set reconciliation needs (see Spec/veectordb.md, "Sync").
public struct RangeFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// Keys in the range.
    public var count: UInt64 = 0
    /// Sum of version hashes, low and high 64 bits.
    public var low: UInt64 = 0
    public var high: UInt64 = 0

    /// An empty range's fingerprint.
    public init() {}

    /// Adds one key's version hash.
    public mutating func add(_ hash: VersionHash) {
        let (w0, w1) = hash.words
        let (lo, carry) = low.addingReportingOverflow(w0)
        low = lo
        high = high &+ w1 &+ (carry ? 1 : 0)
        count += 1
    }

    /// Combines the fingerprints of two disjoint ranges.
    public static func + (a: RangeFingerprint, b: RangeFingerprint) -> RangeFingerprint {
        var r = RangeFingerprint()
        let (lo, carry) = a.low.addingReportingOverflow(b.low)
        r.low = lo
        r.high = a.high &+ b.high &+ (carry ? 1 : 0)
        r.count = a.count + b.count
        return r
    }

    /// "count:hex".
    public var description: String {
        "\(count):" + String(high, radix: 16).leftPadded(to: 16) + String(low, radix: 16).leftPadded(to: 16)
    }
}

extension Database {
    /// The ordered set of (key, newest version hash) in `range` of `collection` — what a peer
    /// needs to find which keys differ.
    public func keyVersions(_ collection: String, range: KeyRange = .all) -> [KeyVersion] {
        var result: [KeyVersion] = []
        forEachLatest(collection, range: range) { key, entry in
            result.append(KeyVersion(key: key, version: entry.version, versionHash: entry.versionHash, isDeletion: entry.isDeletion))
            return true
        }
        return result
    }

    /// The fingerprint of `range` in `collection`.
    public func fingerprint(_ collection: String, range: KeyRange = .all) -> RangeFingerprint {
        var fp = RangeFingerprint()
        forEachLatest(collection, range: range) { _, entry in
            fp.add(entry.versionHash)
            return true
        }
        return fp
    }
}
