import VeectorWire

/// Reads the fields of one bencoded dictionary with typed errors naming the field (`prefix.key`).
struct FieldReader {
    let entries: [[UInt8]: BencodeValue]
    let prefix: String

    /// Wraps `value`, which must be a dictionary holding only `allowed` keys.
    init(_ value: BencodeValue, name: String, allowed: Set<String>) throws(GossipWireError) {
        guard let d = value.dictionaryValue else { throw .invalidField(name, reason: "must be a dictionary") }
        for key in d.keys {
            let k = String(decoding: key, as: UTF8.self)
            guard allowed.contains(k) else { throw .unexpectedField(name.isEmpty ? k : "\(name).\(k)") }
        }
        entries = d
        prefix = name.isEmpty ? "" : name + "."
    }

    func optional(_ key: String) -> BencodeValue? { entries[Array(key.utf8)] }

    func value(_ key: String) throws(GossipWireError) -> BencodeValue {
        guard let v = entries[Array(key.utf8)] else { throw .missingField(prefix + key) }
        return v
    }

    func bytes(_ key: String, count: ClosedRange<Int>) throws(GossipWireError) -> [UInt8] {
        guard let b = try value(key).bytesValue else { throw .invalidField(prefix + key, reason: "must be a byte string") }
        guard count.contains(b.count) else {
            throw .invalidField(prefix + key, reason: "must be \(count.lowerBound)…\(count.upperBound) bytes, got \(b.count)")
        }
        return b
    }

    func integer(_ key: String, in range: ClosedRange<Int64>) throws(GossipWireError) -> Int64 {
        guard let i = try value(key).integerValue else { throw .invalidField(prefix + key, reason: "must be an integer") }
        guard range.contains(i) else {
            throw .invalidField(prefix + key, reason: "must be in \(range.lowerBound)…\(range.upperBound), got \(i)")
        }
        return i
    }

    func version() throws(GossipWireError) {
        guard let v = try value("v").integerValue else { throw .invalidField(prefix + "v", reason: "must be an integer") }
        guard v == GossipLimits.version else { throw .unsupportedVersion(v) }
    }

    func topic(_ key: String) throws(GossipWireError) -> GossipTopic {
        try Self.topic(value(key), field: prefix + key)
    }

    static func topic(_ v: BencodeValue, field: String) throws(GossipWireError) -> GossipTopic {
        guard let b = v.bytesValue, !b.isEmpty, b.count <= GossipTopic.maxBytes,
              let name = String(validating: b, as: UTF8.self) else {
            throw .invalidField(field, reason: "a topic must be 1…\(GossipTopic.maxBytes) bytes of UTF-8")
        }
        return GossipTopic(unchecked: name)
    }

    func list(_ key: String, count: ClosedRange<Int>) throws(GossipWireError) -> [BencodeValue] {
        guard let l = try value(key).listValue else { throw .invalidField(prefix + key, reason: "must be a list") }
        guard count.contains(l.count) else {
            throw .invalidField(prefix + key, reason: "must hold \(count.lowerBound)…\(count.upperBound) items, got \(l.count)")
        }
        return l
    }
}
