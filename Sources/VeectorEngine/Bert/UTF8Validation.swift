/// Strict UTF-8 decoding for texts that arrive as bytes (files, network): invalid input is reported with
/// the offset of the first bad byte instead of being silently replaced with U+FFFD.
enum UTF8Validation {
    /// The offset of the first byte that starts an invalid UTF-8 sequence, or nil when `bytes` is valid.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// `bytes` as a String, or `BertError.invalidUTF8` naming text `index` and the bad byte's offset.
    static func decode(_ bytes: [UInt8], index: Int) throws(BertError) -> String {
        if let offset = firstInvalidOffset(bytes) { throw .invalidUTF8(index: index, byteOffset: offset) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
