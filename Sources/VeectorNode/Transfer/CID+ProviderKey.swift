import ContentID
import VeectorWire

extension CID {
    /// The DHT info-hash providers of this content announce under and fetchers look up with `get_peers`:
    /// the first 20 bytes of the content's sha2-256 digest (`Spec/transfer.md`, "Finding providers").
    /// Nil for a CID that is not sha2-256 (such content cannot be verified, so it is never transferred).
    public var providerInfoHash: NodeID? {
        guard let digest = sha256Digest else { return nil }
        return NodeID(Array(digest.prefix(NodeID.byteCount)))
    }
}
