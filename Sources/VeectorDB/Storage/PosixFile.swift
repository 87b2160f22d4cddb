#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened with POSIX calls, for the few operations a crash-safe store needs:
/// positioned reads and writes, `fdatasync`, truncation, and errors that name the file.
///
/// Not thread-safe for writes; `pread` from several threads is fine.
final class PosixFile: @unchecked Sendable {
    let path: String
    let fd: Int32

    /// Opens (and with `create`, creates) the file at `path`.
    init(path: String, create: Bool = false, readOnly: Bool = false) throws(StorageError) {
        var flags = readOnly ? O_RDONLY : O_RDWR
        if create { flags |= O_CREAT }
        flags |= O_CLOEXEC
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// The file's current size in bytes.
    func size() throws(StorageError) -> UInt64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path: path, operation: "fstat", errno: errno) }
        return UInt64(st.st_size)
    }

    /// Writes all of `bytes` at `offset`. ENOSPC becomes `.diskFull`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ENOSPC || errno == EDQUOT { throw .diskFull(path: path) }
                throw .io(path: path, operation: "write", errno: errno)
            }
            done += n
        }
    }

    /// Writes a byte array at `offset`.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(StorageError) {
        try storageErrors { try bytes.withUnsafeBytes { try write($0, at: offset) } }
    }

    /// Reads exactly `count` bytes at `offset` into `buffer`; returns how many were available (short at EOF).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(StorageError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads up to `count` bytes at `offset` (fewer at end of file).
    func read(count: Int, at offset: UInt64) throws(StorageError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        let got = try storageErrors { try result.withUnsafeMutableBytes { try read(into: $0, at: offset) } }
        if got < count { result.removeLast(count - got) }
        return result
    }

    /// Flushes the file's data (and the metadata needed to read it) to stable storage.
    func syncData() throws(StorageError) {
        #if canImport(Darwin)
        let rc = fsync(fd)
        #else
        let rc = fdatasync(fd)
        #endif
        guard rc == 0 else {
            if errno == ENOSPC { throw .diskFull(path: path) }
            throw .io(path: path, operation: "fdatasync", errno: errno)
        }
    }

    /// Flushes data and all metadata.
    func syncAll() throws(StorageError) {
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync", errno: errno) }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: UInt64) throws(StorageError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw .io(path: path, operation: "truncate", errno: errno) }
    }
}

/// Directory-level helpers: durable renames, listing, removal.
enum FileSystem {
    /// Makes a directory (and its parents) with owner-only permissions.
    static func makeDirectory(_ path: String) throws(StorageError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw .io(path: current, operation: "mkdir", errno: errno)
            }
        }
    }

    /// fsyncs a directory so that renames and new files in it survive a crash.
    static func syncDirectory(_ path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open directory", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync directory", errno: errno) }
    }

    /// Writes a whole small file durably: temp file, fsync, rename over, fsync the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws(StorageError) {
        let tmp = path + ".tmp"
        unlink(tmp)
        let file = try PosixFile(path: tmp, create: true)
        do {
            try file.write(bytes, at: 0)
            try file.syncAll()
        } catch {
            unlink(tmp)
            throw error
        }
        guard rename(tmp, path) == 0 else { throw .io(path: path, operation: "rename", errno: errno) }
        try syncDirectory(directory)
    }

    /// Reads a whole file, or nil if it does not exist.
    static func readFile(_ path: String) throws(StorageError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .io(path: path, operation: "open", errno: errno)
        }
        close(fd)
        let file = try PosixFile(path: path, readOnly: true)
        return try file.read(count: Int(try file.size()), at: 0)
    }

    /// Names in a directory (without "." and "..").
    static func list(_ path: String) throws(StorageError) -> [String] {
        guard let dir = opendir(path) else { throw .io(path: path, operation: "opendir", errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) {
        unlink(path)
    }

    /// Whether something exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
