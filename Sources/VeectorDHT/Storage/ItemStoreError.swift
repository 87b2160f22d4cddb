import VeectorWire

/// Why an `ItemStore` refused a `put`, with the KRPC error the node answers with.
public enum ItemStoreError: Error, Hashable, Sendable {
    /// The bencoded `v` exceeds `BEP44.maxValueBytes` (205).
    case valueTooBig
    /// A mutable item's signature does not verify (206).
    case invalidSignature
    /// The salt exceeds `BEP44.maxSaltBytes` (207).
    case saltTooBig
    /// `cas` was given and differs from the stored item's `seq` (301).
    case casMismatch(stored: Int64)
    /// `seq` is below the stored one, or equal with a different value (302).
    case sequenceTooLow(stored: Int64)
    /// The item does not hash to the target it was offered for (203: for an immutable item,
    /// SHA-1 of the bencoded `v`; for a mutable one, SHA-1 of key ‖ salt).
    case targetMismatch

    /// The BEP 5 / BEP 44 error code.
    public var code: Int64 {
        switch self {
        case .valueTooBig: KRPCErrorMessage.valueTooBigCode
        case .invalidSignature: KRPCErrorMessage.invalidSignatureCode
        case .saltTooBig: KRPCErrorMessage.saltTooBigCode
        case .casMismatch: KRPCErrorMessage.casMismatchCode
        case .sequenceTooLow: KRPCErrorMessage.sequenceTooLowCode
        case .targetMismatch: KRPCErrorMessage.protocolCode
        }
    }

    /// The error reply to send (messages as libtorrent words them).
    public var krpcError: KRPCErrorMessage {
        switch self {
        case .valueTooBig: KRPCErrorMessage(code: code, "Message (v field) too big.")
        case .invalidSignature: KRPCErrorMessage(code: code, "invalid signature")
        case .saltTooBig: KRPCErrorMessage(code: code, "salt (salt field) too big.")
        case .casMismatch: KRPCErrorMessage(code: code, "CAS mismatch")
        case .sequenceTooLow: KRPCErrorMessage(code: code, "old sequence number")
        case .targetMismatch: KRPCErrorMessage(code: code, "target mismatch")
        }
    }
}
