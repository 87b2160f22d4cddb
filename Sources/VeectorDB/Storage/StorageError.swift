/// Everything that can go wrong inside the storage engine, each case saying where and what to do.
///
/// Storage errors never leave the database half-changed: a failed commit is reported as failed and
/// every commit acknowledged before it stays readable.
public enum StorageError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A system call failed on a file (errno and its text included).
    case io(path: String, operation: String, errno: Int32)
    /// The disk is full: the commit that hit it was not acknowledged; earlier commits are intact.
    case diskFull(path: String)
    /// Another process holds the database lock.
    case locked(path: String, holder: String)
    /// A record failed its checksum when read.
    case damagedRecord(segment: UInt64, offset: UInt64, reason: String)
    /// A metadata file (manifest, index checkpoint) is damaged.
    case damagedFile(path: String, reason: String)
    /// The caller asked for something the format cannot hold.
    case invalidArgument(String)
    /// The database has been closed.
    case closed
    /// An earlier I/O failure left the active segment in an unknown state; reopen the database.
    case needsReopen(reason: String)

    public var description: String {
        switch self {
        case let .io(path, operation, errno):
            return "I/O error during \(operation) on \(path): \(String(cString: strerror(errno))) (errno \(errno))"
        case let .diskFull(path):
            return "the disk holding \(path) is full: the last commit was NOT saved (every earlier commit is safe). Free some space and retry."
        case let .locked(path, holder):
            return "the database at \(path) is in use by another process (\(holder)). Stop that process or use another home folder."
        case let .damagedRecord(segment, offset, reason):
            return "damaged record in segment \(segment) at offset \(offset): \(reason). Run `veenode db check` for a full report."
        case let .damagedFile(path, reason):
            return "damaged file \(path): \(reason)"
        case let .invalidArgument(message):
            return "invalid argument: \(message)"
        case .closed:
            return "the database is closed"
        case let .needsReopen(reason):
            return "the database stopped accepting writes after an I/O failure (\(reason)); close and reopen it"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body`, passing storage errors through and wrapping anything else (closures that lose the
/// typed error through a `rethrows` API).
@inline(__always)
func storageErrors<R>(_ body: () throws -> R) throws(StorageError) -> R {
    do { return try body() } catch let error as StorageError { throw error } catch {
        throw .invalidArgument("\(error)")
    }
}
