import VeectorTransfer

/// How `veenode start` runs the transfer channel.
public struct TransferRunOptions: Sendable {
    /// Serve chunks with one byte flipped (`--misbehave-transfer corrupt`): for tests of fetchers
    /// dropping a malicious provider; never on a real network.
    public var corruptChunks = false
    /// The fetch rules (defaults suit a real network).
    public var fetch = TransferConfiguration()
    /// The serving limits.
    public var provide = ProviderConfiguration()

    /// The defaults.
    public init() {}
}
