/// What went wrong making or checking an identity, a device certificate or a revocation, with a
/// message that says what to do about it.
public enum IdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key seed or public key has the wrong length.
    case invalidKey(what: String, expected: Int, got: Int)
    /// A field of a certificate or revocation being issued is out of range (name, times, capabilities).
    case invalidField(field: String, reason: String)
    /// The bytes are not a certificate or revocation this program can read; `field` names the part at fault.
    case malformed(field: String, reason: String)
    /// The Ed25519 signature does not verify: the bytes were changed, or another key signed them.
    case badSignature
    /// The certificate's validity ended at `expiresAt` (Unix seconds), before `now`.
    case expired(expiresAt: Int64, now: Int64)
    /// The certificate is not valid until `issuedAt` (Unix seconds), later than `now` allows.
    case notYetValid(issuedAt: Int64, now: Int64)
    /// The certificate was issued by another user than the one expected (public keys in hex).
    case wrongUser(expected: String, found: String)
    /// The certificate is for another device than the one presenting it (public keys in hex).
    case wrongDevice(expected: String, found: String)
    /// The user revoked this device at `revokedAt` (Unix seconds).
    case revoked(revokedAt: Int64, reason: String)

    /// A sentence for logs and users: what happened and what to do.
    public var description: String {
        switch self {
        case let .invalidKey(what, expected, got):
            return "the \(what) must be \(expected) bytes but has \(got); pass the key exactly as it was generated"
        case let .invalidField(field, reason):
            return "cannot issue: field '\(field)' \(reason)"
        case let .malformed(field, reason):
            return "not a valid Veector identity record: '\(field)' \(reason); ask the sender for the record again"
        case .badSignature:
            return "the signature does not verify: the record was changed or was signed by another key; do not trust it"
        case let .expired(expiresAt, now):
            return "the device certificate expired at \(expiresAt) (now \(now)); ask the user to issue a new one"
        case let .notYetValid(issuedAt, now):
            return "the device certificate is valid only from \(issuedAt) (now \(now)); check both clocks"
        case let .wrongUser(expected, found):
            return "the device certificate was issued by user key \(found), not the expected \(expected); this device belongs to someone else"
        case let .wrongDevice(expected, found):
            return "the device certificate names device key \(found), but the device presenting it is \(expected); it was copied from another device, do not accept it"
        case let .revoked(revokedAt, reason):
            return "the device was revoked at \(revokedAt) (\(reason.isEmpty ? "no reason given" : reason)); do not accept it"
        }
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hex, for messages and descriptions.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
