/// Why a datagram is not a KRPC message we accept. Carries the transaction ID when it could be
/// read, so the receiver can still answer with error 203 or 204.
public struct KRPCDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Equatable, Sendable {
        /// The bytes are not valid bencode.
        case bencode(BencodeError)
        /// The top level (or `a`, `r`) is not a dictionary.
        case notADictionary(key: String)
        /// A required key is absent (`key` is a path such as "a.id").
        case missingKey(String)
        /// A key holds the wrong bencode type.
        case wrongType(key: String)
        /// A fixed-size byte string has the wrong length.
        case wrongLength(key: String, expected: Int, got: Int)
        /// A value is out of range or malformed (a port above 65535, `nodes` not a multiple of 26...).
        case invalidValue(key: String)
        /// `y` is not "q", "r" or "e".
        case unknownMessageType([UInt8])
        /// `q` names a method we do not speak.
        case unknownMethod([UInt8])
    }

    /// The kind of problem.
    public let reason: Reason
    /// The message's `t`, if it could be read.
    public let transactionID: [UInt8]?

    /// Makes an error.
    public init(_ reason: Reason, transactionID: [UInt8]? = nil) {
        self.reason = reason
        self.transactionID = transactionID
    }

    /// The KRPC error code to answer with (204 for an unknown method, else 203).
    public var replyCode: Int64 {
        if case .unknownMethod = reason { return KRPCErrorMessage.methodUnknownCode }
        return KRPCErrorMessage.protocolCode
    }

    /// The error message to send back (203 or 204, BEP 5), or nil when `t` was unreadable and
    /// nothing can be answered.
    public var errorReply: KRPCMessage? {
        guard let transactionID else { return nil }
        let text: String
        switch reason {
        case .unknownMethod: text = "Method Unknown"
        case let .missingKey(key): text = "Protocol Error: missing \(key)"
        case let .wrongType(key), let .wrongLength(key, _, _), let .invalidValue(key), let .notADictionary(key):
            text = "Protocol Error: bad \(key)"
        default: text = "Protocol Error"
        }
        return KRPCMessage(transactionID: transactionID, body: .error(KRPCErrorMessage(code: replyCode, text)))
    }

    /// One line saying what was wrong.
    public var description: String { "malformed KRPC message: \(reason)" }
}
