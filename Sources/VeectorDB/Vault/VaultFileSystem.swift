#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VeectorCrypto

/// The few POSIX file operations the vault needs, done durably: a key file is replaced
/// atomically (temporary file in the same directory, fsync, rename or link, fsync of the
/// directory), so a crash leaves either the old key file or the new one, never half of one.
enum VaultFileSystem {
    /// Key files are tiny; anything larger is not one.
    static let maxKeyFileBytes = 4096

    /// Reads a whole small file; nil if it does not exist.
    static func read(_ path: String) throws(VaultError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .io(path: path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { return data }
            data += buffer[0..<n]
            if data.count > maxKeyFileBytes {
                throw .damagedKeyFile(path: path, reason: "it is larger than \(maxKeyFileBytes) bytes, so it is not a key file")
            }
        }
    }

    /// Writes `bytes` to `path` atomically and durably. With `replace` false it fails with
    /// `.userExists(user)` if `path` already exists (no check-then-write race: it uses link(2)).
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String, replace: Bool, user: String) throws(VaultError) {
        let suffix = SecureRandom.bytes(8).map { String($0, radix: 16) }.joined()
        let temp = directory + "/." + user + ".vkey.tmp-" + suffix
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: temp, operation: "create", errno: errno) }
        var keepTemp = false
        defer {
            close(fd)
            if !keepTemp { unlink(temp) }
        }
        try writeAll(fd, bytes, path: temp)
        guard fsync(fd) == 0 else { throw .io(path: temp, operation: "fsync", errno: errno) }
        if replace {
            guard rename(temp, path) == 0 else { throw .io(path: path, operation: "rename onto", errno: errno) }
            keepTemp = true    // it is the key file now
        } else if link(temp, path) != 0 {
            let code = errno
            if code == EEXIST { throw .userExists(user) }
            // File systems without hard links: check, then rename (a tiny race, only on those).
            guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == ENOSYS else {
                throw .io(path: path, operation: "link", errno: code)
            }
            if access(path, F_OK) == 0 { throw .userExists(user) }
            guard rename(temp, path) == 0 else { throw .io(path: path, operation: "rename onto", errno: errno) }
            keepTemp = true
        }
        try syncDirectory(directory)
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and interrupted calls.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(VaultError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            written += n
        }
    }

    /// fsyncs a directory so a rename or link in it survives a crash.
    static func syncDirectory(_ directory: String) throws(VaultError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: directory, operation: "open directory", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path: directory, operation: "fsync directory", errno: errno) }
    }

    /// Creates `directory` (mode 0700) if it does not exist yet.
    static func ensureDirectory(_ directory: String) throws(VaultError) {
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw .io(path: directory, operation: "create directory", errno: errno)
        }
    }

    /// Names of the entries in `directory`; empty if it does not exist.
    static func list(_ directory: String) throws(VaultError) -> [String] {
        guard let dir = opendir(directory) else {
            if errno == ENOENT { return [] }
            throw .io(path: directory, operation: "list", errno: errno)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            names.append(name)
        }
        return names
    }
}

// Unqualified `read`/`write` would resolve to the enum's own `read`; these name the C calls.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
