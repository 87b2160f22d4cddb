/// Hard limits of the transfer wire format (`Spec/transfer.md`). A configuration may be stricter,
/// never looser; a decoder refuses anything beyond them before it allocates.
public enum TransferLimits {
    /// Wire-format version: the first byte of every message and manifest.
    public static let version: UInt8 = 1
    /// Largest chunk, in bytes (1 MiB).
    public static let maxChunkBytes = 1 << 20
    /// Most chunks in one manifest (with 1 MiB chunks: 64 GiB of content).
    public static let maxChunks = 65_536
    /// Longest content CID accepted, in bytes.
    public static let maxCIDBytes = 80
    /// Most chunk indices in one `want`, `dontHave`, `busy` or `cancel`.
    public static let maxIndicesPerMessage = 512
    /// Most ranges in one `have`.
    public static let maxRangesPerMessage = 1_024
    /// Largest manifest encoding: header, CID, size, count, then 36 bytes per chunk.
    public static let maxManifestBytes = 4 + 1 + 1 + maxCIDBytes + 8 + 4 + 36 * maxChunks
    /// Largest message: the larger of a full `manifest` and a full `chunk`, with their headers.
    public static let maxMessageBytes = 3 + maxCIDBytes + 4 + maxManifestBytes
}
