import Foundation
import VeectorEngine

/// A block's bytes read and checked: its manifest and the place of each tensor, without copying.
///
/// Parsing checks the whole layout (magic, version, canonical manifest, supported types, sizes,
/// 64-byte alignment, in range, no overlap, zero padding, nothing after the last tensor), so tensors
/// built from it can be read without further checks. It does not check the CID: the cache does that.
public struct ParsedBlock: @unchecked Sendable {
    /// The block's manifest.
    public let manifest: BlockManifest
    /// The block's role, parsed from the manifest.
    public let role: BlockRole
    /// The whole block.
    public let bytes: UnsafeRawBufferPointer
    /// Offset of the data section in `bytes`.
    public let dataOffset: Int

    /// Reads the manifest and checks the layout of `bytes`.
    public init(bytes: UnsafeRawBufferPointer) throws(BlockFormatError) {
        self.bytes = bytes
        let header = BlockFormat.headerSize
        guard bytes.count >= header else { throw .truncated(needed: header, have: bytes.count) }
        guard Array(bytes[0..<4]) == BlockFormat.magic else { throw .badMagic(Array(bytes[0..<4])) }
        let version = Int(bytes[4]) | Int(bytes[5]) << 8
        guard version == BlockFormat.version else { throw .unsupportedVersion(version) }
        guard bytes[6] == 0, bytes[7] == 0 else { throw .badPadding(offset: 6) }
        let length = Int(bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian)
        guard length <= bytes.count - header else { throw .truncated(needed: header + length, have: bytes.count) }
        let json = Array(bytes[header..<(header + length)])
        let manifest: BlockManifest
        do { manifest = try JSONDecoder().decode(BlockManifest.self, from: Data(json)) } catch {
            throw .badManifest("unreadable JSON (\(error))")
        }
        guard BlockFormat.canonicalJSON(manifest) == json else {
            throw .badManifest("not in canonical form (sorted keys, no whitespace)")
        }
        guard let role = BlockRoleName.role(manifest.role) else { throw .badManifest("unknown role '\(manifest.role)'") }
        try Self.checkRows(manifest, role: role)
        self.manifest = manifest
        self.role = role
        dataOffset = BlockFormat.aligned(header + length)
        guard dataOffset <= bytes.count || manifest.tensors.isEmpty else {
            throw .truncated(needed: dataOffset, have: bytes.count)
        }
        try Self.checkTensors(manifest, bytes: bytes, dataOffset: dataOffset, manifestEnd: header + length)
    }

    private static func checkTensors(_ manifest: BlockManifest, bytes: UnsafeRawBufferPointer, dataOffset: Int,
                                     manifestEnd: Int) throws(BlockFormatError) {
        var previousEnd = 0
        var previousName: String?
        var zeroFrom = manifestEnd
        for t in manifest.tensors {
            if let previousName, previousName >= t.name { throw .badTensor(name: t.name, reason: "tensors are not sorted by name (after '\(previousName)')") }
            previousName = t.name
            guard let type = BlockFormat.type(named: t.type) else { throw .badTensor(name: t.name, reason: "unsupported type '\(t.type)'") }
            guard let expected = BlockFormat.byteCount(type: type, dims: t.dims), expected == t.length else {
                throw .badTensor(name: t.name, reason: "length \(t.length) does not match \(t.type) \(t.dims)")
            }
            guard t.offset % BlockFormat.alignment == 0 else { throw .badTensor(name: t.name, reason: "offset \(t.offset) is not 64-byte aligned") }
            guard t.offset >= previousEnd else { throw .badTensor(name: t.name, reason: "overlaps the previous tensor") }
            guard t.offset <= bytes.count - dataOffset, t.length <= bytes.count - dataOffset - t.offset else {
                throw .truncated(needed: dataOffset + t.offset + t.length, have: bytes.count)
            }
            try checkZeros(bytes, from: zeroFrom, to: dataOffset + t.offset)
            previousEnd = t.offset + t.length
            zeroFrom = dataOffset + previousEnd
        }
        let end = manifest.tensors.isEmpty ? manifestEnd : dataOffset + previousEnd
        guard bytes.count == end else { throw .badPadding(offset: min(end, bytes.count)) }
    }

    /// A token-table shard states its rows `[first, end)` and holds exactly that many rows of
    /// `token_embd.weight`; no other block states rows.
    private static func checkRows(_ manifest: BlockManifest, role: BlockRole) throws(BlockFormatError) {
        guard case .embeddingShard = role else {
            guard manifest.rows == nil else { throw .badManifest("\(manifest.role) states rows; only embedding.N shards do") }
            return
        }
        guard let rows = manifest.rows, rows.count == 2, rows[0] >= 0, rows[0] < rows[1] else {
            throw .badManifest("\(manifest.role) must state its rows as [first, end) with first < end, has \(manifest.rows.map { "\($0)" } ?? "none")")
        }
        guard let table = manifest.tensors.first(where: { $0.name == "token_embd.weight" }), table.dims.count == 2,
              table.dims[1] == rows[1] - rows[0] else {
            throw .badManifest("\(manifest.role) states rows \(rows) but does not hold \(rows[1] - rows[0]) rows of token_embd.weight")
        }
    }

    private static func checkZeros(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) throws(BlockFormatError) {
        guard from < to else { return }
        for i in from..<to where bytes[i] != 0 { throw .badPadding(offset: i) }
    }

    /// The tensors as `Tensor`s pointing into `bytes`, keyed by local name; `owner` keeps the bytes alive.
    public func tensors(owner: AnyObject?) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for t in manifest.tensors {
            let start = dataOffset + t.offset
            out[t.name] = Tensor(name: t.name, type: BlockFormat.type(named: t.type)!, dimensions: t.dims,
                                 bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + t.length)]), owner: owner)
        }
        return out
    }
}
