import Foundation

/// What `GGUFParser` reads from a GGUF header.
struct GGUFHeader {
    var version: UInt32
    var keys: [String]
    var metadata: [String: GGUFValue]
    var tensors: [GGUFTensorInfo]
    var alignment: Int
    var dataOffset: Int
}

/// Reads and validates a GGUF header from mapped bytes (see Spec/model-formats.md for the rules).
struct GGUFParser {
    var cursor: ByteCursor
    let size: Int

    init(bytes: UnsafeRawBufferPointer) {
        cursor = ByteCursor(bytes)
        size = bytes.count
    }

    mutating func parse() throws -> GGUFHeader {
        guard size >= 4 else { throw GGUFError.truncated(what: "the magic number", offset: 0, fileSize: size) }
        let magic = Array(cursor.slice(4)!)
        guard magic == Array("GGUF".utf8) else { throw GGUFError.badMagic(found: magic) }
        let version = try integer(UInt32.self, "the version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }
        let tensorCountOffset = cursor.offset
        let tensorCount = try integer(UInt64.self, "the tensor count")
        guard tensorCount <= GGUFFile.maximumCount else {
            throw GGUFError.implausibleCount(what: "the tensor count", count: tensorCount, offset: tensorCountOffset)
        }
        let kvCountOffset = cursor.offset
        let kvCount = try integer(UInt64.self, "the metadata count")
        guard kvCount <= GGUFFile.maximumCount else {
            throw GGUFError.implausibleCount(what: "the metadata count", count: kvCount, offset: kvCountOffset)
        }

        var keys: [String] = []
        var metadata: [String: GGUFValue] = [:]
        for i in 0..<Int(kvCount) {
            let keyOffset = cursor.offset
            let key = try string("metadata key #\(i)")
            let typeOffset = cursor.offset
            let rawType = try integer(UInt32.self, "the type of metadata '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.unknownValueType(rawType, key: key, offset: typeOffset)
            }
            let value = try self.value(type, key: key, depth: 0)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw GGUFError.duplicate(what: "metadata key", name: key, offset: keyOffset)
            }
            keys.append(key)
        }
        let alignment = try Self.alignment(metadata["general.alignment"])

        var raw: [(name: String, dims: [UInt64], type: UInt32, offset: UInt64, infoOffset: Int)] = []
        var names = Set<String>()
        for i in 0..<Int(tensorCount) {
            let infoOffset = cursor.offset
            let name = try string("the name of tensor info #\(i)")
            guard names.insert(name).inserted else {
                throw GGUFError.duplicate(what: "tensor name", name: name, offset: infoOffset)
            }
            let what = "tensor info '\(name)'"
            let nDims = try integer(UInt32.self, what)
            guard nDims <= 4 else { throw GGUFError.badShape(tensor: name, dimensions: [UInt64(nDims)], offset: infoOffset) }
            var dims: [UInt64] = []
            for _ in 0..<nDims { dims.append(try integer(UInt64.self, what)) }
            let type = try integer(UInt32.self, what)
            let offset = try integer(UInt64.self, what)
            raw.append((name, dims, type, offset, infoOffset))
        }
        let headerEnd = cursor.offset
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment

        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(raw.count)
        for t in raw {
            guard let type = GGMLType(rawValue: t.type) else {
                throw GGUFError.unknownTensorType(t.type, tensor: t.name, offset: t.infoOffset)
            }
            guard let layout = type.layout else { throw GGUFError.unsupportedTensorType(type, tensor: t.name) }
            var elements = 1
            for d in t.dims {
                guard let d = Int(exactly: d) else {
                    throw GGUFError.badShape(tensor: t.name, dimensions: t.dims, offset: t.infoOffset)
                }
                let (p, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw GGUFError.badShape(tensor: t.name, dimensions: t.dims, offset: t.infoOffset) }
                elements = p
            }
            let first = t.dims.first.map { Int($0) } ?? 1
            guard first % layout.elementsPerBlock == 0 else {
                throw GGUFError.partialBlock(tensor: t.name, dimension: first, blockSize: layout.elementsPerBlock)
            }
            let (byteCount, overflow) = (elements / layout.elementsPerBlock).multipliedReportingOverflow(by: layout.bytesPerBlock)
            guard !overflow else { throw GGUFError.badShape(tensor: t.name, dimensions: t.dims, offset: t.infoOffset) }
            guard t.offset % UInt64(alignment) == 0 else {
                throw GGUFError.misaligned(tensor: t.name, offset: Int(clamping: t.offset), alignment: alignment)
            }
            guard t.offset <= UInt64(size), dataOffset <= size, Int(t.offset) <= size - dataOffset,
                  byteCount <= size - dataOffset - Int(t.offset) else {
                let fileOffset = t.offset > UInt64(Int.max - dataOffset) ? Int.max : dataOffset + Int(t.offset)
                throw GGUFError.tensorPastEnd(tensor: t.name, fileOffset: fileOffset, byteCount: byteCount, fileSize: size)
            }
            tensors.append(GGUFTensorInfo(name: t.name, dimensions: t.dims.map { Int($0) }, type: type,
                                          offset: Int(t.offset), fileOffset: dataOffset + Int(t.offset),
                                          elementCount: elements, byteCount: byteCount))
        }
        let byOffset = tensors.filter { $0.byteCount > 0 }.sorted { $0.offset < $1.offset }
        for (a, b) in zip(byOffset, byOffset.dropFirst()) where b.offset < a.offset + a.byteCount {
            throw GGUFError.overlapping(tensor: b.name, offset: b.offset, other: a.name, otherEnd: a.offset + a.byteCount)
        }
        return GGUFHeader(version: version, keys: keys, metadata: metadata, tensors: tensors,
                          alignment: alignment, dataOffset: dataOffset)
    }

    static func alignment(_ value: GGUFValue?) throws -> Int {
        guard let value else { return GGUFFile.defaultAlignment }
        guard let a = value.intValue else { throw GGUFError.badAlignment("it is \(value), not an integer") }
        guard a > 0, a & (a - 1) == 0, a <= 1 << 30 else { throw GGUFError.badAlignment("it is \(a)") }
        return a
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        guard let v = cursor.read(type) else {
            throw GGUFError.truncated(what: what(), offset: cursor.offset, fileSize: size)
        }
        return v
    }

    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let lengthOffset = cursor.offset
        let length = try integer(UInt64.self, what())
        guard length <= UInt64(size) else {
            throw GGUFError.implausibleCount(what: "the length of \(what())", count: length, offset: lengthOffset)
        }
        guard let bytes = cursor.slice(Int(length)) else {
            throw GGUFError.truncated(what: what(), offset: cursor.offset, fileSize: size)
        }
        guard let s = Self.utf8(bytes) else { throw GGUFError.invalidUTF8(what: what(), offset: lengthOffset + 8) }
        return s
    }

    static func utf8(_ bytes: UnsafeRawBufferPointer) -> String? {
        if #available(macOS 15, *) {
            return String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
        } else {
            return String(bytes: bytes, encoding: .utf8)
        }
    }

    mutating func value(_ type: GGUFValueType, key: String, depth: Int) throws -> GGUFValue {
        let what = "the value of metadata '\(key)'"
        switch type {
        case .uint8: return .uint8(try integer(UInt8.self, what))
        case .int8: return .int8(try integer(Int8.self, what))
        case .uint16: return .uint16(try integer(UInt16.self, what))
        case .int16: return .int16(try integer(Int16.self, what))
        case .uint32: return .uint32(try integer(UInt32.self, what))
        case .int32: return .int32(try integer(Int32.self, what))
        case .uint64: return .uint64(try integer(UInt64.self, what))
        case .int64: return .int64(try integer(Int64.self, what))
        case .float32: return .float32(Float(bitPattern: try integer(UInt32.self, what)))
        case .float64: return .float64(Double(bitPattern: try integer(UInt64.self, what)))
        case .bool:
            let offset = cursor.offset
            let b = try integer(UInt8.self, what)
            guard b <= 1 else { throw GGUFError.implausibleCount(what: "the bool \(what)", count: UInt64(b), offset: offset) }
            return .bool(b == 1)
        case .string: return .string(try string(what))
        case .array:
            let typeOffset = cursor.offset
            guard depth < GGUFFile.maximumArrayDepth else {
                throw GGUFError.implausibleCount(what: "the array nesting depth of metadata '\(key)'",
                                                 count: UInt64(depth + 1), offset: typeOffset)
            }
            let rawType = try integer(UInt32.self, what)
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.unknownValueType(rawType, key: key, offset: typeOffset)
            }
            let countOffset = cursor.offset
            let count = try integer(UInt64.self, what)
            if count > UInt64(cursor.remaining / elementType.minimumSize) {
                if count > UInt64(size) {
                    throw GGUFError.implausibleCount(what: "the element count of metadata '\(key)'", count: count, offset: countOffset)
                }
                throw GGUFError.truncated(what: what, offset: cursor.offset, fileSize: size)
            }
            var elements: [GGUFValue] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<Int(count) { elements.append(try value(elementType, key: key, depth: depth + 1)) }
            return .array(elementType: elementType, elements: elements)
        }
    }
}
