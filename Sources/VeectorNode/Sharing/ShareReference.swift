import ContentID

/// A share whose package is too large to travel inline on the inbox topic (`Spec/sharing.md`, "Over
/// the network"): only its signed share record travels, and the record names the ciphertext package
/// by CID and size; the recipient's node fetches the package by that CID from its providers (the
/// sender's node first) through content transfer, which verifies it, then imports record + package
/// as if a share file had arrived. A relay sees the record, never the package's plaintext or key.
///
/// `"VSHR" | u8 format (1) | record` — the record is a share record's canonical encoding.
public struct ShareReference: Sendable, Equatable {
    /// The share record's bytes (signed by the sender).
    public let record: [UInt8]

    static let magic = Array("VSHR".utf8)

    /// A reference carrying `record`.
    public init(record: [UInt8]) { self.record = record }

    /// The message's bytes.
    public func encoded() -> [UInt8] { Self.magic + [1] + record }

    /// True when `bytes` start like a reference (whatever follows).
    public static func isReference(_ bytes: [UInt8]) -> Bool { bytes.count >= 4 && Array(bytes[0..<4]) == magic }

    /// Parses a reference; `what` names it in errors.
    public init(decoding bytes: [UInt8], what: String) throws(ShareError) {
        guard Self.isReference(bytes), bytes.count >= 5 else { throw .badFile(path: what, reason: "it does not start with \"VSHR\"") }
        guard bytes[4] == 1 else { throw .badFile(path: what, reason: "it has format \(bytes[4]); upgrade Veector") }
        guard bytes.count - 5 <= ShareRecord.maxEncodedBytes else {
            throw .badFile(path: what, reason: "its record is \(bytes.count - 5) bytes, more than \(ShareRecord.maxEncodedBytes)")
        }
        record = Array(bytes[5...])
    }

    /// The record, parsed, with its signature checked and exactly one package named: what a relay
    /// can check before passing the reference on.
    public func verifiedRecord() throws(ShareError) -> ShareRecord {
        let r = try ShareRecord(decoding: record)
        try r.verifySignature()
        guard r.body.packages.count == 1 else {
            throw .malformed(field: "pkg", reason: "a share sent by reference names \(r.body.packages.count) packages; it must name one")
        }
        return r
    }

    /// The package this share needs, with its size in bytes.
    public func package() throws(ShareError) -> (cid: CID, size: UInt64) {
        let r = try verifiedRecord()
        return (r.body.packages[0], r.body.packageBytes)
    }

    /// The share file the recipient imports once the package has been fetched; throws when `package`
    /// is not the one the record names (size or CID).
    public func shareFile(package: [UInt8]) throws(ShareError) -> ShareFile {
        let (cid, size) = try self.package()
        guard UInt64(package.count) == size, CID.sha256(of: package) == cid else {
            throw .malformed(field: "package", reason: "the fetched package does not match its share record (\(package.count) bytes, expected \(size))")
        }
        return .share(record: record, package: package)
    }
}
