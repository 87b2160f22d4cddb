import VeectorEngine

/// Writes GGUF (version 3) files: how a GGUF model's tokenizer (`tokenizer.*` keys, no tensors)
/// becomes a blob that `GGUFFile` and `BytePairTokenizer(gguf:)` read unchanged, and how tests make
/// small llama models.
public enum GGUFBuilder {
    /// One tensor to write: name, type, ggml-order dimensions and stored bytes.
    public typealias TensorData = (name: String, type: GGMLType, dims: [Int], bytes: [UInt8])

    /// The file's bytes: header, `entries` in the given order, tensor infos, then each tensor's
    /// bytes at a 32-byte aligned offset (the default `general.alignment`).
    public static func write(_ entries: [(key: String, value: GGUFValue)], tensors: [TensorData] = []) -> [UInt8] {
        let alignment = GGUFFile.defaultAlignment
        var out = Array("GGUF".utf8)
        append(UInt32(3), &out)
        append(UInt64(tensors.count), &out)
        append(UInt64(entries.count), &out)
        for (key, value) in entries {
            appendString(key, &out)
            append(value.type.rawValue, &out)
            appendValue(value, &out)
        }
        var offset = 0
        for t in tensors {
            appendString(t.name, &out)
            append(UInt32(t.dims.count), &out)
            for d in t.dims { append(UInt64(d), &out) }
            append(t.type.rawValue, &out)
            append(UInt64(offset), &out)
            offset = (offset + t.bytes.count + alignment - 1) / alignment * alignment
        }
        for t in tensors {
            while out.count % alignment != 0 { out.append(0) }
            out += t.bytes
        }
        while out.count % alignment != 0 { out.append(0) }
        return out
    }

    private static func append<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func appendString(_ s: String, _ out: inout [UInt8]) {
        let utf8 = Array(s.utf8)
        append(UInt64(utf8.count), &out)
        out += utf8
    }

    private static func appendValue(_ value: GGUFValue, _ out: inout [UInt8]) {
        switch value {
        case let .uint8(v): out.append(v)
        case let .int8(v): out.append(UInt8(bitPattern: v))
        case let .uint16(v): append(v, &out)
        case let .int16(v): append(v, &out)
        case let .uint32(v): append(v, &out)
        case let .int32(v): append(v, &out)
        case let .uint64(v): append(v, &out)
        case let .int64(v): append(v, &out)
        case let .float32(v): append(v.bitPattern, &out)
        case let .float64(v): append(v.bitPattern, &out)
        case let .bool(v): out.append(v ? 1 : 0)
        case let .string(s): appendString(s, &out)
        case let .array(type, elements):
            append(type.rawValue, &out)
            append(UInt64(elements.count), &out)
            for e in elements { appendValue(e, &out) }
        }
    }
}
