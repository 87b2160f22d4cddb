/// The revocations a node knows, checked on entry: certificate verification consults it so a
/// revoked device is refused even while its certificate has not expired.
public struct RevocationList: Sendable, Equatable {
    private struct Key: Hashable, Sendable {
        let user: [UInt8]
        let device: [UInt8]
    }

    private var entries: [Key: RevocationEntry] = [:]

    /// An empty list.
    public init() {}

    /// Adds `entry` after checking its signature. For one user and device the earliest
    /// revocation time wins (a later duplicate cannot un-revoke a period).
    public mutating func add(_ entry: RevocationEntry) throws(IdentityError) {
        try entry.verify()
        let key = Key(user: entry.body.userPublicKey, device: entry.body.devicePublicKey)
        if let existing = entries[key], existing.body.revokedAt <= entry.body.revokedAt { return }
        entries[key] = entry
    }

    /// The revocation of `device` by `user`, if any.
    public func revocation(of device: [UInt8], by user: [UInt8]) -> RevocationEntry? {
        entries[Key(user: user, device: device)]
    }

    /// Every entry, ordered by user then device key.
    public var all: [RevocationEntry] {
        entries.values.sorted {
            $0.body.userPublicKey == $1.body.userPublicKey
                ? $0.body.devicePublicKey.lexicographicallyPrecedes($1.body.devicePublicKey)
                : $0.body.userPublicKey.lexicographicallyPrecedes($1.body.userPublicKey)
        }
    }

    /// The number of entries.
    public var count: Int { entries.count }
}
