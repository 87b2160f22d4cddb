import Foundation
import VeectorDB

/// A fresh folder under the system's temporary directory, removed when the value goes away.
/// Tests that need a real filesystem (every storage test) create one each.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The folder's absolute path.
    public let path: String

    /// Creates the folder; `prefix` helps identify leftovers.
    public init(prefix: String = "veector-test") {
        let base = ProcessInfo.processInfo.environment["VEECTOR_TEST_TMP"] ?? NSTemporaryDirectory()
        path = base + "/" + prefix + "-" + UUID().uuidString.prefix(8).lowercased()
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Deterministic pseudo-random numbers (splitmix64, as specified for the chunker), so failures reproduce.
public typealias SplitMix64 = ContentDefinedChunker.SplitMix64

extension ContentDefinedChunker.SplitMix64 {
    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            var word = next()
            for _ in 0..<8 where i < count {
                out[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        return out
    }
}

/// Reads a whole file's bytes.
public func readBytes(_ path: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: path) ?? Data())
}

/// Overwrites a whole file.
public func writeBytes(_ bytes: [UInt8], to path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

/// The names in a folder.
public func listDirectory(_ path: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? []
}
