import VeectorEngine

/// Builds small GGUF files in memory for tests, with knobs to produce each kind of broken file.
struct GGUFWriter {
    /// One tensor to write: its bytes are placed at the next aligned offset unless `offset` overrides it.
    struct Tensor {
        var name: String
        var dimensions: [UInt64]
        var type: UInt32
        var data: [UInt8]
        var offset: UInt64? = nil
    }

    var version: UInt32 = 3
    var magic: [UInt8] = Array("GGUF".utf8)
    var metadata: [(String, GGUFValue)] = []
    var tensors: [Tensor] = []
    /// When set, written as the `general.alignment` uint32 metadata entry and used for placement.
    var alignment: UInt32? = nil
    /// Replace the declared counts (for implausible-count tests).
    var tensorCountOverride: UInt64? = nil
    var metadataCountOverride: UInt64? = nil

    func bytes() -> [UInt8] {
        var out = magic
        append(version, to: &out)
        append(tensorCountOverride ?? UInt64(tensors.count), to: &out)
        var entries = metadata
        if let alignment { entries.append(("general.alignment", .uint32(alignment))) }
        append(metadataCountOverride ?? UInt64(entries.count), to: &out)
        for (key, value) in entries {
            appendString(key, to: &out)
            append(value.type.rawValue, to: &out)
            appendValue(value, to: &out)
        }
        let align = max(1, Int(alignment ?? 32))
        var offsets: [UInt64] = []
        var next: UInt64 = 0
        for t in tensors {
            let offset = t.offset ?? next
            offsets.append(offset)
            next = (offset + UInt64(t.data.count) + UInt64(align) - 1) / UInt64(align) * UInt64(align)
        }
        for (t, offset) in zip(tensors, offsets) {
            appendString(t.name, to: &out)
            append(UInt32(t.dimensions.count), to: &out)
            for d in t.dimensions { append(d, to: &out) }
            append(t.type, to: &out)
            append(offset, to: &out)
        }
        while out.count % align != 0 { out.append(0) }
        let dataStart = out.count
        for (t, offset) in zip(tensors, offsets) {
            let at = dataStart + Int(offset)
            if out.count < at + t.data.count { out += [UInt8](repeating: 0, count: at + t.data.count - out.count) }
            out.replaceSubrange(at..<(at + t.data.count), with: t.data)
        }
        return out
    }

    func appendValue(_ value: GGUFValue, to out: inout [UInt8]) {
        switch value {
        case let .uint8(v): out.append(v)
        case let .int8(v): out.append(UInt8(bitPattern: v))
        case let .uint16(v): append(v, to: &out)
        case let .int16(v): append(v, to: &out)
        case let .uint32(v): append(v, to: &out)
        case let .int32(v): append(v, to: &out)
        case let .uint64(v): append(v, to: &out)
        case let .int64(v): append(v, to: &out)
        case let .float32(v): append(v.bitPattern, to: &out)
        case let .float64(v): append(v.bitPattern, to: &out)
        case let .bool(v): out.append(v ? 1 : 0)
        case let .string(s): appendString(s, to: &out)
        case let .array(type, elements):
            append(type.rawValue, to: &out)
            append(UInt64(elements.count), to: &out)
            for e in elements { appendValue(e, to: &out) }
        }
    }

    func appendString(_ s: String, to out: inout [UInt8]) {
        append(UInt64(s.utf8.count), to: &out)
        out += Array(s.utf8)
    }
}

/// Appends an integer in little-endian byte order.
func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out += $0 }
}
