import ContentID
import Foundation
import VeectorBlocks
import VeectorDB

/// The node's installed models over its VeectorDB: block and tokenizer bytes in the `BlobStore` with
/// the aligned layout (memory-mapped when served), model manifests in `model-manifests` (CID → JSON) and
/// the local names in `model-names` (name → `InstalledModel` JSON).
///
/// Blobs are content-addressed, so a block shared by two models (or imported twice) is stored once.
/// Models are not per-user secrets: nothing here is encrypted and no passphrase is needed. It serves
/// blocks to a `BlockCache` as a `BlockSource`.
public struct ModelStore: BlockSource {
    /// Collection of model manifests: manifest CID bytes → canonical JSON.
    public static let manifests = "model-manifests"
    /// Collection of local names: UTF-8 name → `InstalledModel` JSON.
    public static let names = "model-names"

    /// The database underneath.
    public let database: Database
    private var blobs: BlobStore { BlobStore(database: database) }

    /// A model store over `database`.
    public init(database: Database) { self.database = database }

    /// Whether `name` is a valid model name.
    public static func isValidName(_ name: String) -> Bool {
        (1...128).contains(name.count) && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == "_"
        }
    }

    /// The default name for a model at `path`: the file name without `.gguf`, or the folder's name.
    public static func defaultName(for path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        if name.hasSuffix(".gguf") { name.removeLast(5) }
        return name
    }

    /// Decomposes the model at `path` (a `.gguf` file or a safetensors folder), stores its blocks and
    /// manifest, and names it `name` (replacing what the name pointed to).
    @discardableResult
    public func importModel(path: String, name: String, variants: [String] = Variant.allCases.map(\.rawValue)) throws(ModelStoreError) -> InstalledModel {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        var chosen = Set<Variant>()
        for v in variants {
            guard let variant = Variant(rawValue: v) else { throw .invalidVariant(v) }
            chosen.insert(variant)
        }
        let blobs = self.blobs
        let manifest: ModelManifest
        do {
            manifest = try ModelDecomposer(variants: chosen).decompose(path: path) { _, bytes in
                _ = try blobs.put(bytes, layout: .aligned)
            }
        } catch { throw .decompose(error) }
        let manifestBytes = manifest.encoded()
        let cid = manifest.cid
        let model = InstalledModel(name: name, arch: manifest.arch, cid: cid.description, blocks: manifest.blocks.count,
                                   blockVariants: manifest.blocks.reduce(0) { $0 + $1.variants.count },
                                   bytes: manifest.tokenizer.reduce(0) { $0 + $1.bytes } + manifest.blocks.reduce(0) { $0 + $1.variants.reduce(0) { $0 + $1.bytes } },
                                   source: path)
        var txn = Transaction()
        txn.put(Self.manifests, cid.bytes, manifestBytes)
        txn.put(Self.names, Array(name.utf8), BlockFormat.canonicalJSON(model))
        do { try database.commit(txn) } catch { throw .storage(error.description) }
        return model
    }

    /// Every installed model, by name.
    public func list() throws(ModelStoreError) -> [InstalledModel] {
        var out: [InstalledModel] = []
        for item in database.scan(Self.names) {
            out.append(try record(String(decoding: item.key, as: UTF8.self)))
        }
        return out
    }

    /// The model named `name`.
    public func record(_ name: String) throws(ModelStoreError) -> InstalledModel {
        let stored: Record?
        do { stored = try database.get(Self.names, Array(name.utf8)) } catch { throw .storage(error.description) }
        guard let stored, stored.kind == .put else { throw .notFound(name: name) }
        do { return try JSONDecoder().decode(InstalledModel.self, from: Data(stored.value)) } catch {
            throw .manifest(name: name, .unreadable("its name record is damaged (\(error))"))
        }
    }

    /// The manifest of the model named `name`.
    public func manifest(named name: String) throws(ModelStoreError) -> ModelManifest {
        let model = try record(name)
        guard let cid = try? CID(model.cid) else { throw .manifest(name: name, .unreadable("bad CID '\(model.cid)'")) }
        let stored: Record?
        do { stored = try database.get(Self.manifests, cid.bytes) } catch { throw .storage(error.description) }
        guard let stored else { throw .manifest(name: name, .unreadable("manifest \(cid) is not stored")) }
        guard CID.sha256(of: stored.value) == cid else { throw .manifest(name: name, .unreadable("manifest \(cid) does not match its CID")) }
        do { return try ModelManifest.decode(stored.value) } catch { throw .manifest(name: name, error) }
    }

    /// The model's stored blocks and tokenizer blobs, as `veenode model blocks` lists them.
    public func blocks(named name: String) throws(ModelStoreError) -> [ModelBlockRow] {
        let m = try manifest(named: name)
        var rows = m.tokenizer.map { ModelBlockRow(block: "tokenizer", kind: $0.kind, variant: "", bytes: $0.bytes, cid: $0.cid.description) }
        for e in m.blocks {
            let kind = e.role.hasPrefix("layer.") ? "layer" : e.role
            for v in e.variants {
                rows.append(ModelBlockRow(block: e.role, kind: kind, variant: v.variant.rawValue, bytes: v.bytes, cid: v.cid.description))
            }
        }
        return rows
    }

    /// Bytes of all model blocks and tokenizer blobs stored (each stored blob counted once).
    public func storedBlobBytes() -> Int {
        database.scan(BlobStore.alignedData).reduce(0) { $0 + Int($1.entry.valueLength) }
    }

    /// A stored block memory-mapped in place (its record checksum verified; the cache checks the CID).
    public func blockBytes(_ cid: CID) throws(BlockSourceError) -> BlockBytes {
        guard blobs.contains(cid) else { throw .notFound(cid) }
        do {
            let mapping = try blobs.map(cid)
            return BlockBytes(bytes: mapping.bytes, owner: mapping)
        } catch { throw .failed(cid, error.description) }
    }
}
