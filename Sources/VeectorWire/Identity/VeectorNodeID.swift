/// How a Veector node's ID derives from its Ed25519 public key (Spec/wire.md, "Node IDs").
///
/// `h = SHA1("veector-node-id-v1" || publicKey)` (20 bytes). With no known public IPv4 address
/// (or a BEP 42-exempt local one) the ID is `h`. With external address `ip` it is `h` with its
/// first 21 bits replaced by BEP 42's prefix for `ip` and `r = h[19] & 7`; the last byte stays
/// `h[19]`, so anyone holding the key and the address can recompute and check the ID, and
/// Mainline peers see an ordinary BEP 42-valid ID.
extension NodeID {
    /// The domain-separation prefix hashed before the public key.
    public static let veectorDerivationDomain: [UInt8] = Array("veector-node-id-v1".utf8)

    /// The node ID for an Ed25519 public key (32 bytes) reachable at `externalAddress`.
    public static func derived(fromPublicKey publicKey: [UInt8], externalAddress: IPv4Address?) -> NodeID {
        let h = SHA1.hash(veectorDerivationDomain + publicKey)
        guard let ip = externalAddress, !ip.isLocal else { return NodeID(unchecked: h) }
        return bep42(for: ip, rand: h[19], rest: h)
    }

    /// True if this ID is exactly the one `derived(fromPublicKey:externalAddress:)` gives.
    public func isDerived(fromPublicKey publicKey: [UInt8], externalAddress: IPv4Address?) -> Bool {
        self == NodeID.derived(fromPublicKey: publicKey, externalAddress: externalAddress)
    }
}
