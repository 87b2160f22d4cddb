import ContentID
import VeectorEngine

/// Assembles one block's bytes: collects tensors, lays them out 64-byte aligned in name order, writes
/// the canonical manifest and returns the block with its CID.
public struct BlockBuilder {
    /// One tensor waiting to be written.
    struct Pending {
        var name: String
        var type: GGMLType
        var dims: [Int]
        var bytes: [UInt8]
    }

    /// The model architecture written into the manifest.
    public var arch: String
    /// Which room of the model the block is.
    public var role: BlockRole
    /// The nest level of the stored weights.
    public var variant: Variant
    /// Shape of one input position.
    public var input: [Int]
    /// Shape of one output position.
    public var output: [Int]
    /// Tensors borrowed from other blocks.
    public var needs: [BlockNeed] = []
    /// For a token-table shard: the first and one-past-last vocabulary row it holds (else nil).
    public var rows: [Int]?
    private var pending: [Pending] = []

    /// Starts a block of `role` of an `arch` model.
    public init(arch: String, role: BlockRole, variant: Variant, input: [Int], output: [Int]) {
        self.arch = arch
        self.role = role
        self.variant = variant
        self.input = input
        self.output = output
    }

    /// Adds a tensor; `bytes.count` must equal what `type` and `dims` require.
    public mutating func add(name: String, type: GGMLType, dims: [Int], bytes: [UInt8]) throws(BlockFormatError) {
        guard let expected = BlockFormat.byteCount(type: type, dims: dims) else {
            throw .badTensor(name: name, reason: "type \(type) with dimensions \(dims) cannot be stored")
        }
        guard expected == bytes.count else {
            throw .badTensor(name: name, reason: "\(bytes.count) bytes given, \(type) \(dims) needs \(expected)")
        }
        guard !pending.contains(where: { $0.name == name }) else { throw .badTensor(name: name, reason: "added twice") }
        pending.append(Pending(name: name, type: type, dims: dims, bytes: bytes))
    }

    /// Adds a tensor from borrowed bytes (copied).
    public mutating func add(name: String, type: GGMLType, dims: [Int], bytes: UnsafeRawBufferPointer) throws(BlockFormatError) {
        try add(name: name, type: type, dims: dims, bytes: Array(bytes))
    }

    /// The manifest the block will carry.
    public func manifest() -> BlockManifest {
        var offset = 0
        var entries: [BlockTensorEntry] = []
        for t in pending.sorted(by: { $0.name < $1.name }) {
            entries.append(BlockTensorEntry(name: t.name, type: t.type.description, dims: t.dims, offset: offset, length: t.bytes.count))
            offset = BlockFormat.aligned(offset + t.bytes.count)
        }
        return BlockManifest(arch: arch, role: BlockRoleName.name(role), variant: variant, input: input, output: output,
                             tensors: entries, needs: needs.sorted { ($0.as, $0.role, $0.tensor) < ($1.as, $1.role, $1.tensor) }, rows: rows)
    }

    /// Writes the block.
    public func build() -> EncodedBlock {
        let manifest = manifest()
        let json = BlockFormat.canonicalJSON(manifest)
        let dataStart = BlockFormat.aligned(BlockFormat.headerSize + json.count)
        let end = manifest.tensors.last.map { $0.offset + $0.length } ?? 0
        // A block without tensors ends with its manifest; otherwise with its last tensor.
        var out = [UInt8](repeating: 0, count: manifest.tensors.isEmpty ? BlockFormat.headerSize + json.count : dataStart + end)
        out.replaceSubrange(0..<4, with: BlockFormat.magic)
        out[4] = UInt8(BlockFormat.version & 0xFF); out[5] = UInt8(BlockFormat.version >> 8)
        let m = UInt32(json.count)
        for i in 0..<4 { out[8 + i] = UInt8((m >> (8 * UInt32(i))) & 0xFF) }
        out.replaceSubrange(12..<(12 + json.count), with: json)
        let byName = Dictionary(uniqueKeysWithValues: pending.map { ($0.name, $0) })
        for e in manifest.tensors {
            let start = dataStart + e.offset
            out.replaceSubrange(start..<(start + e.length), with: byName[e.name]!.bytes)
        }
        return EncodedBlock(bytes: out, manifest: manifest)
    }
}

/// A finished block: its bytes, its manifest and its content ID.
public struct EncodedBlock: Sendable {
    /// The whole block.
    public let bytes: [UInt8]
    /// Its manifest.
    public let manifest: BlockManifest
    /// CIDv1 (raw, sha2-256) of `bytes`: the block's identity.
    public let cid: CID

    /// Wraps finished bytes (computes the CID).
    init(bytes: [UInt8], manifest: BlockManifest) {
        self.bytes = bytes
        self.manifest = manifest
        self.cid = CID.sha256(of: bytes)
    }
}
