#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be memory-mapped.
public enum MappedFileError: Error, CustomStringConvertible, Equatable {
    /// `open(2)` failed (missing file, no permission, …).
    case cannotOpen(path: String, errno: Int32)
    /// `fstat(2)` or `mmap(2)` failed.
    case cannotMap(path: String, errno: Int32)

    /// A message that names the file and says what to do.
    public var description: String {
        switch self {
        case let .cannotOpen(path, code):
            return "cannot open '\(path)': \(String(cString: strerror(code))); check that the file exists and is readable"
        case let .cannotMap(path, code):
            return "cannot memory-map '\(path)': \(String(cString: strerror(code))); check that it is a regular file"
        }
    }
}

/// A whole file mapped read-only into memory (`mmap`), unmapped when the value goes away.
///
/// The model readers use it so tensor bytes are read in place, never copied. Pointers obtained from
/// `bytes` are valid only while this object is alive.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened with.
    public let path: String
    /// The file's bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer

    /// The file's size in bytes.
    public var count: Int { bytes.count }

    /// Maps the file at `path` read-only; throws `MappedFileError` naming the path.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw MappedFileError.cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MappedFileError.cannotMap(path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw MappedFileError.cannotMap(path: path, errno: EISDIR) }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw MappedFileError.cannotMap(path: path, errno: errno)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// An anonymous read-only mapping holding a copy of `contents` (e.g. a tokenizer blob read from
    /// the database); `name` stands in for the path in error messages.
    public init(copying contents: [UInt8], name: String) throws {
        path = name
        guard !contents.isEmpty else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, contents.count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              address != MAP_FAILED else {
            throw MappedFileError.cannotMap(path: name, errno: errno)
        }
        contents.withUnsafeBytes { address.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        mprotect(address, contents.count, PROT_READ)
        bytes = UnsafeRawBufferPointer(start: address, count: contents.count)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
