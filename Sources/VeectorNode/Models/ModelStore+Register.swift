import ContentID
import VeectorBlocks
import VeectorDB

extension ModelStore {
    /// Records a model manifest that came from elsewhere (fetched from peers) and names it `name`: the
    /// manifest is stored under its CID (it must decode), the name points to it. The blocks are not
    /// checked here — the ones a run needs are fetched first, and the block cache verifies each on load.
    @discardableResult
    public func register(manifestBytes: [UInt8], name: String, source: String) throws(ModelStoreError) -> InstalledModel {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        let manifest: ModelManifest
        do { manifest = try ModelManifest.decode(manifestBytes) } catch { throw .manifest(name: name, error) }
        let cid = CID.sha256(of: manifestBytes)
        let model = InstalledModel(name: name, arch: manifest.arch, cid: cid.description, blocks: manifest.blocks.count,
                                   blockVariants: manifest.blocks.reduce(0) { $0 + $1.variants.count },
                                   bytes: manifest.totalBytes, source: source)
        var txn = Transaction()
        txn.put(Self.manifests, cid.bytes, manifestBytes)
        txn.put(Self.names, Array(name.utf8), BlockFormat.canonicalJSON(model))
        do { _ = try database.commit(txn) } catch { throw .storage(error.description) }
        return model
    }

    /// The CIDs of every blob a model manifest refers to: tokenizer blobs, then each block variant.
    public static func blobCIDs(of manifest: ModelManifest) -> [CID] {
        manifest.tokenizer.map(\.cid) + manifest.blocks.flatMap { $0.variants.map(\.cid) }
    }
}

extension ModelManifest {
    /// Bytes of all tokenizer blobs and block variants.
    public var totalBytes: Int {
        tokenizer.reduce(0) { $0 + $1.bytes } + blocks.reduce(0) { $0 + $1.variants.reduce(0) { $0 + $1.bytes } }
    }
}
