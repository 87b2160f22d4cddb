/// The `e` list of a KRPC error reply: `[code, message]` (BEP 5 codes 201-204, BEP 44 205-302).
public struct KRPCErrorMessage: Hashable, Sendable, Error {
    /// The numeric error code.
    public var code: Int64
    /// Human-readable text (bytes on the wire; usually ASCII).
    public var message: [UInt8]

    /// Makes an error with a raw message.
    public init(code: Int64, message: [UInt8]) {
        self.code = code
        self.message = message
    }

    /// Makes an error with a text message.
    public init(code: Int64, _ text: String) { self.init(code: code, message: Array(text.utf8)) }

    /// 201 Generic Error.
    public static let genericCode: Int64 = 201
    /// 202 Server Error.
    public static let serverCode: Int64 = 202
    /// 203 Protocol Error: malformed packet, invalid arguments or bad token.
    public static let protocolCode: Int64 = 203
    /// 204 Method Unknown.
    public static let methodUnknownCode: Int64 = 204
    /// 205 (BEP 44): message (`v`) too big.
    public static let valueTooBigCode: Int64 = 205
    /// 206 (BEP 44): invalid signature.
    public static let invalidSignatureCode: Int64 = 206
    /// 207 (BEP 44): salt too big.
    public static let saltTooBigCode: Int64 = 207
    /// 301 (BEP 44): CAS hash mismatch, re-read value and try again.
    public static let casMismatchCode: Int64 = 301
    /// 302 (BEP 44): sequence number less than current.
    public static let sequenceTooLowCode: Int64 = 302
}
