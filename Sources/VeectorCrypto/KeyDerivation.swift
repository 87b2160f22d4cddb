import CSodium

/// Derives independent subkeys from one master key (libsodium `crypto_kdf`, BLAKE2b based), so
/// one secret can serve many purposes without one use weakening another.
public enum KeyDerivation {
    /// Length of a context string in bytes.
    public static let contextBytes = 8

    /// The 32-byte subkey number `id` for `context` (exactly 8 ASCII characters naming the
    /// purpose, e.g. "VKdocwrp"). Same inputs always give the same subkey; different ids or
    /// contexts give unrelated keys. A context of any other length is a programming error.
    public static func subkey(from master: SecretKey, id: UInt64, context: String) -> SecretKey {
        Sodium.ensureInitialized()
        let ctx = Array(context.utf8)
        precondition(ctx.count == contextBytes, "KeyDerivation: context must be exactly 8 bytes, got \"\(context)\" (\(ctx.count))")
        precondition(master.count == SecretKey.byteCount, "KeyDerivation: the master key must be 32 bytes")
        return SecretKey(count: SecretKey.byteCount) { out in
            master.withUnsafeBytes { m in
                ctx.withUnsafeBufferPointer { c in
                    c.withMemoryRebound(to: CChar.self) { cc in
                        _ = crypto_kdf_derive_from_key(out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count,
                                                       id, cc.baseAddress!, m.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
        }
    }
}
