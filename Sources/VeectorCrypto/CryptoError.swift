/// What went wrong in a VeectorCrypto operation, with a message that says what to do about it.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Sealed data did not verify: it was changed, or the key or additional data is not the one used to seal it.
    case authenticationFailed
    /// The input is shorter than the smallest valid sealed message.
    case truncated(needed: Int, got: Int)
    /// A key has the wrong number of bytes.
    case invalidKeyLength(expected: Int, got: Int)
    /// A parameter other than a key is out of range (salt length, signature seed, and so on).
    case invalidParameter(String)
    /// Password hashing (Argon2id) could not run, usually because it could not get its memory.
    case kdfFailed(String)
    /// A secret stream message failed: tampered, reordered, from another stream, or sent after the end.
    case streamFailed(String)
    /// A secret stream ended without its final message, so some of it is missing.
    case streamTruncated

    public var description: String {
        switch self {
        case .authenticationFailed:
            return "authentication failed: the sealed data was changed or damaged, or it was sealed with a different key or additional data; do not use it, fetch a good copy or check the key"
        case let .truncated(needed, got):
            return "sealed data is truncated: it needs at least \(needed) bytes but has \(got); the data was cut short, fetch a complete copy"
        case let .invalidKeyLength(expected, got):
            return "a key must be \(expected) bytes but this one has \(got); pass the key exactly as it was generated"
        case let .invalidParameter(reason):
            return "invalid parameter: \(reason)"
        case let .kdfFailed(reason):
            return "password key derivation (Argon2id) failed: \(reason)"
        case let .streamFailed(reason):
            return "secret stream failed: \(reason)"
        case .streamTruncated:
            return "secret stream ended before its final message: the stream was cut short; fetch or resend the whole stream"
        }
    }
}
