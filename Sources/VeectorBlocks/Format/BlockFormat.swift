import ContentID
import Foundation
import VeectorEngine

/// The binary layout of one block (see `Spec/blocks.md`): `VBLK`, u16 version, u16 zero, u32 manifest
/// length, the canonical JSON manifest, zeros to a 64-byte boundary, then each tensor's bytes at a
/// 64-byte aligned offset of the data section. A block's identity is the CIDv1 (raw, sha2-256) of all of it.
public enum BlockFormat {
    /// The first four bytes of every block.
    public static let magic: [UInt8] = Array("VBLK".utf8)
    /// The format version written and read.
    public static let version = 1
    /// Alignment of the data section and of each tensor (bytes).
    public static let alignment = 64
    /// Bytes before the manifest.
    public static let headerSize = 12

    /// Rounds `n` up to the block alignment.
    public static func aligned(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    /// The canonical JSON form of a manifest: keys sorted, no whitespace.
    public static func canonicalJSON<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Manifests hold only strings, integers, booleans and Float values: encoding cannot fail.
        return Array((try? encoder.encode(value)) ?? Data())
    }

    /// The number of bytes a tensor of `type` and `dims` occupies, or nil if the type is unsupported
    /// or the row length is not a whole number of quantisation blocks.
    public static func byteCount(type: GGMLType, dims: [Int]) -> Int? {
        guard let layout = type.layout, let row = dims.first, row >= 0, dims.allSatisfy({ $0 >= 0 }),
              row % layout.elementsPerBlock == 0 else { return nil }
        var rows = 1
        for d in dims.dropFirst() {
            let (r, o) = rows.multipliedReportingOverflow(by: d)
            guard !o else { return nil }
            rows = r
        }
        let (n, o) = (row / layout.elementsPerBlock * layout.bytesPerBlock).multipliedReportingOverflow(by: rows)
        return o ? nil : n
    }

    /// The ggml type named `name` (`F32`, `Q4_1`…) if Veector reads it.
    public static func type(named name: String) -> GGMLType? {
        GGMLType.allCases.first { $0.description == name && $0.isSupported }
    }
}
