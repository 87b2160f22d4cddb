import ContentID
import Foundation
import VeectorBlocks

/// A model decomposed into one file per block (named by CID) plus `manifest.json`, served to a
/// `BlockCache` by mapping each file read-only: what a node's block store does, without the database.
/// Mapped pages count towards resident memory only while the cache holds the block.
final class BlockFolder: BlockSource, @unchecked Sendable {
    /// The folder.
    let path: String

    init(path: String) { self.path = path }

    /// Decomposes the GGUF at `model` into `path` (created if needed) and returns the manifest.
    static func decompose(model: String, into path: String) throws -> ModelManifest {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let manifest = try ModelDecomposer(variants: [.ultimate]).decompose(path: model) { cid, bytes in
            guard FileManager.default.createFile(atPath: path + "/" + cid.description, contents: Data(bytes)) else {
                throw BlockSourceError.failed(cid, "cannot write \(path)/\(cid.description)")
            }
        }
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: path + "/manifest.json"))
        return manifest
    }

    /// The manifest written by `decompose`.
    func manifest() throws -> ModelManifest {
        try ModelManifest.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path + "/manifest.json"))))
    }

    func blockBytes(_ cid: CID) throws(BlockSourceError) -> BlockBytes {
        let file = path + "/" + cid.description
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else { throw .notFound(cid) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { throw .failed(cid, "cannot stat \(file)") }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .failed(cid, "cannot map \(file): errno \(errno)")
        }
        let mapping = Mapping(base: base, size: size)
        return BlockBytes(bytes: UnsafeRawBufferPointer(start: base, count: size), owner: mapping)
    }

    /// Unmaps a block's file when the cache lets go of it.
    final class Mapping {
        let base: UnsafeMutableRawPointer
        let size: Int
        init(base: UnsafeMutableRawPointer, size: Int) { self.base = base; self.size = size }
        deinit { munmap(base, size) }
    }
}
