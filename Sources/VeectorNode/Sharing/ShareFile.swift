import Foundation

/// The file transport (Spec/sharing.md, "Share file"): one file that carries a share record and
/// its package, or a revocation, from one node to another by any means (mail, USB stick) until
/// the network carries them. `veenode share doc --out FILE` writes one; `veenode docs receive FILE`
/// reads it and calls the very functions the network path will call.
///
/// `"VSHF" | u8 format (1) | u8 kind (1 share, 2 revocation) | u32 record length | record |
/// (share only) u64 package length | package`, integers little-endian, nothing after.
public enum ShareFile: Sendable, Equatable {
    /// A share record and the ciphertext package it names.
    case share(record: [UInt8], package: [UInt8])
    /// A revocation record.
    case revocation([UInt8])

    static let magic = Array("VSHF".utf8)

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        switch self {
        case let .share(record, package):
            return Self.magic + [1, 1] + le(UInt32(record.count)) + record + le(UInt64(package.count)) + package
        case let .revocation(record):
            return Self.magic + [1, 2] + le(UInt32(record.count)) + record
        }
    }

    /// Parses a share file; `path` names it in errors.
    public init(decoding bytes: [UInt8], path: String) throws(ShareError) {
        func le<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T? {
            guard offset >= 0, bytes.count - offset >= MemoryLayout<T>.size else { return nil }
            var v: T = 0
            for i in 0..<MemoryLayout<T>.size { v |= T(bytes[offset + i]) << (8 * i) }
            return v
        }
        guard bytes.count >= 10, Array(bytes[0..<4]) == Self.magic else { throw .badFile(path: path, reason: "it does not start with \"VSHF\"") }
        guard bytes[4] == 1 else { throw .badFile(path: path, reason: "it has format \(bytes[4]); upgrade Veector") }
        guard let recordLength = le(UInt32.self, at: 6), Int(recordLength) <= ShareRecord.maxEncodedBytes,
              bytes.count >= 10 + Int(recordLength) else {
            throw .badFile(path: path, reason: "its record is cut short or too long")
        }
        let record = Array(bytes[10..<(10 + Int(recordLength))])
        let rest = 10 + Int(recordLength)
        switch bytes[5] {
        case 1:
            guard let packageLength = le(UInt64.self, at: rest), packageLength == UInt64(bytes.count - rest - 8) else {
                throw .badFile(path: path, reason: "its package is cut short, or bytes follow it")
            }
            self = .share(record: record, package: Array(bytes[(rest + 8)...]))
        case 2:
            guard rest == bytes.count else { throw .badFile(path: path, reason: "bytes follow its revocation") }
            self = .revocation(record)
        default:
            throw .badFile(path: path, reason: "it holds kind \(bytes[5]), which this program does not know")
        }
    }

    /// Reads and parses the file at `path`.
    public static func read(_ path: String) throws(ShareError) -> ShareFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(path: path, message: "cannot read it (no such file, or no permission)") }
        return try ShareFile(decoding: Array(data), path: path)
    }

    /// Writes the file at `path` (mode 0600, through a temporary file renamed over it).
    public func write(to path: String) throws(ShareError) {
        let tmp = path + ".veenode-partial"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(encoded()), attributes: [.posixPermissions: 0o600]) else {
            throw .io(path: path, message: "cannot write it (check the folder exists and is writable)")
        }
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw .io(path: path, message: String(cString: strerror(errno)))
        }
    }
}
