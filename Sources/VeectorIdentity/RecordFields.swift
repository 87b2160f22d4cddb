import VeectorWire

/// Reads the fields of one signed identity record (a bencoded dictionary) with typed errors that
/// name the field at fault. Shared by certificates and revocations.
struct RecordFields {
    let entries: [[UInt8]: BencodeValue]

    /// Decodes `bytes` as one canonical bencoded dictionary no larger than `maxBytes`.
    init(decoding bytes: [UInt8], maxBytes: Int, what: String) throws(IdentityError) {
        guard bytes.count <= maxBytes else {
            throw .malformed(field: what, reason: "is \(bytes.count) bytes, more than the \(maxBytes) allowed")
        }
        let value: BencodeValue
        do { value = try BencodeDecoder(maxDepth: 4).decode(bytes) } catch {
            throw .malformed(field: what, reason: "is not canonical bencode (\(error))")
        }
        guard let dict = value.dictionaryValue else { throw .malformed(field: what, reason: "is not a dictionary") }
        entries = dict
    }

    /// Refuses keys other than `allowed`, so two encodings of one record cannot differ.
    func requireOnly(_ allowed: Set<String>) throws(IdentityError) {
        for key in entries.keys where !allowed.contains(String(decoding: key, as: UTF8.self)) {
            throw .malformed(field: String(decoding: key, as: UTF8.self), reason: "is not a field of this record")
        }
    }

    func value(_ key: String) throws(IdentityError) -> BencodeValue {
        guard let v = entries[Array(key.utf8)] else { throw .malformed(field: key, reason: "is missing") }
        return v
    }

    func bytes(_ key: String, count: Int? = nil, maxCount: Int = .max) throws(IdentityError) -> [UInt8] {
        guard let b = try value(key).bytesValue else { throw .malformed(field: key, reason: "is not a byte string") }
        if let count, b.count != count { throw .malformed(field: key, reason: "is \(b.count) bytes, not \(count)") }
        guard b.count <= maxCount else { throw .malformed(field: key, reason: "is \(b.count) bytes, more than \(maxCount)") }
        return b
    }

    func integer(_ key: String) throws(IdentityError) -> Int64 {
        guard let i = try value(key).integerValue else { throw .malformed(field: key, reason: "is not an integer") }
        return i
    }

    func list(_ key: String) throws(IdentityError) -> [BencodeValue] {
        guard let l = try value(key).listValue else { throw .malformed(field: key, reason: "is not a list") }
        return l
    }

    /// Checks the format version field `v`.
    func requireVersion(_ expected: Int64) throws(IdentityError) {
        let v = try integer("v")
        guard v == expected else {
            throw .malformed(field: "v", reason: "is format version \(v); this program reads version \(expected) (upgrade Veector if newer)")
        }
    }
}

/// Text checks shared by issuing and decoding.
enum FieldRules {
    /// A device name: 1–64 bytes of valid UTF-8 without control characters.
    static func deviceNameProblem(_ name: [UInt8]) -> String? {
        guard (1...64).contains(name.count) else { return "must be 1 to 64 bytes of UTF-8, is \(name.count)" }
        let text = String(decoding: name, as: UTF8.self)
        guard Array(text.utf8) == name else { return "is not valid UTF-8" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "contains control characters" }
        return nil
    }

    /// A capability: 1–32 bytes of a-z, 0-9, '.', '_' and '-'.
    static func capabilityProblem(_ cap: [UInt8]) -> String? {
        guard (1...32).contains(cap.count) else { return "must be 1 to 32 characters, is \(cap.count)" }
        let ok = cap.allSatisfy { b in
            (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b == 0x2e || b == 0x5f || b == 0x2d
        }
        return ok ? nil : "may hold only a-z, 0-9, '.', '_' and '-'"
    }

    /// A revocation reason: at most 128 bytes of valid UTF-8.
    static func reasonProblem(_ reason: [UInt8]) -> String? {
        guard reason.count <= 128 else { return "must be at most 128 bytes, is \(reason.count)" }
        return Array(String(decoding: reason, as: UTF8.self).utf8) == reason ? nil : "is not valid UTF-8"
    }
}
