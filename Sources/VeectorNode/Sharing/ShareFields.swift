import VeectorWire

/// Reads the fields of one signed sharing record (a canonical bencoded dictionary) with typed
/// errors that name the field at fault.
struct ShareFields {
    let entries: [[UInt8]: BencodeValue]

    /// Decodes `bytes` as one canonical bencoded dictionary no larger than `maxBytes`, holding only `allowed` keys.
    init(decoding bytes: [UInt8], maxBytes: Int, what: String, allowed: Set<String>) throws(ShareError) {
        guard bytes.count <= maxBytes else { throw .malformed(field: what, reason: "is \(bytes.count) bytes, more than the \(maxBytes) allowed") }
        let value: BencodeValue
        do { value = try BencodeDecoder(maxDepth: 3).decode(bytes) } catch {
            throw .malformed(field: what, reason: "is not canonical bencode (\(error))")
        }
        guard let dict = value.dictionaryValue else { throw .malformed(field: what, reason: "is not a dictionary") }
        // The parser is strict about order and duplicates; re-encoding also catches non-canonical integers.
        guard value.encoded() == bytes else { throw .malformed(field: what, reason: "is not in canonical form") }
        for key in dict.keys where !allowed.contains(String(decoding: key, as: UTF8.self)) {
            throw .malformed(field: String(decoding: key, as: UTF8.self), reason: "is not a field of this record")
        }
        entries = dict
        let v = try integer("v")
        guard v == 1 else { throw .malformed(field: "v", reason: "is format version \(v); this program reads version 1 (upgrade Veector if newer)") }
    }

    func has(_ key: String) -> Bool { entries[Array(key.utf8)] != nil }

    func value(_ key: String) throws(ShareError) -> BencodeValue {
        guard let v = entries[Array(key.utf8)] else { throw .malformed(field: key, reason: "is missing") }
        return v
    }

    func bytes(_ key: String, count: Int? = nil) throws(ShareError) -> [UInt8] {
        guard let b = try value(key).bytesValue else { throw .malformed(field: key, reason: "is not a byte string") }
        if let count, b.count != count { throw .malformed(field: key, reason: "is \(b.count) bytes, not \(count)") }
        return b
    }

    func integer(_ key: String) throws(ShareError) -> Int64 {
        guard let i = try value(key).integerValue else { throw .malformed(field: key, reason: "is not an integer") }
        return i
    }

    func list(_ key: String) throws(ShareError) -> [BencodeValue] {
        guard let l = try value(key).listValue else { throw .malformed(field: key, reason: "is not a list") }
        return l
    }
}
