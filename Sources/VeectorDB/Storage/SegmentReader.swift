#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of (part of) a file, unmapped when the last user lets go.
public final class FileMapping: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    private let length: Int
    /// The mapped bytes.
    public let bytes: UnsafeRawBufferPointer

    init(fd: Int32, path: String, offset: UInt64, count: Int) throws(StorageError) {
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset / page * page
        let length = Int(offset - start) + count
        let p = mmap(nil, max(length, 1), PROT_READ, MAP_SHARED, fd, off_t(start))
        guard let p, p != MAP_FAILED else { throw .io(path: path, operation: "mmap", errno: errno) }
        self.base = p
        self.length = max(length, 1)
        self.bytes = UnsafeRawBufferPointer(start: p + Int(offset - start), count: count)
    }

    deinit { munmap(base, length) }
}

/// Reads records of one segment file: from a memory mapping when the bytes are inside it,
/// otherwise with `pread` (the active segment grows past its last mapping).
final class SegmentReader: @unchecked Sendable {
    let number: UInt64
    let file: PosixFile
    private let mappingLock = ConditionLock()
    private var mapping: FileMapping?
    private var mappedLength: UInt64 = 0

    init(number: UInt64, file: PosixFile) {
        self.number = number
        self.file = file
    }

    /// Maps the whole file as it is now (called for sealed segments, and lazily for the active one).
    func remap() {
        guard let size = try? file.size(), size > 0 else { return }
        guard let m = try? FileMapping(fd: file.fd, path: file.path, offset: 0, count: Int(size)) else { return }
        mappingLock.withLock {
            mapping = m
            mappedLength = size
        }
    }

    /// Calls `body` with `count` bytes at `offset`, without copying when they are mapped.
    func withBytes<R>(at offset: UInt64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let (m, len) = mappingLock.withLock { (mapping, mappedLength) }
        if let m, offset + UInt64(count) <= len {
            return try body(UnsafeRawBufferPointer(rebasing: m.bytes[Int(offset)..<(Int(offset) + count)]))
        }
        if let size = try? file.size(), size >= len + (4 << 20) {
            remap()
            return try withBytes(at: offset, count: count, body)
        }
        let bytes = try file.read(count: count, at: offset)
        guard bytes.count == count else {
            throw StorageError.damagedRecord(segment: number, offset: offset, reason: "segment ends early (wanted \(count) bytes, found \(bytes.count))")
        }
        return try bytes.withUnsafeBytes(body)
    }

    /// A mapping that covers `count` bytes at `offset` and stays valid while held.
    func map(offset: UInt64, count: Int) throws(StorageError) -> FileMapping {
        try FileMapping(fd: file.fd, path: file.path, offset: offset, count: count)
    }
}
