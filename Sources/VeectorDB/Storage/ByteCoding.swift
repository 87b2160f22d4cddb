/// Little-endian encoding helpers for VeectorDB's on-disk formats (every integer on disk is little-endian).
@usableFromInline
struct ByteWriter {
    @usableFromInline var bytes: [UInt8]

    @inlinable init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable mutating func u8(_ v: UInt8) { bytes.append(v) }
    @inlinable mutating func u16(_ v: UInt16) { append(littleEndian: v) }
    @inlinable mutating func u32(_ v: UInt32) { append(littleEndian: v) }
    @inlinable mutating func u64(_ v: UInt64) { append(littleEndian: v) }
    @inlinable mutating func raw(_ v: some Collection<UInt8>) { bytes.append(contentsOf: v) }
    @inlinable mutating func zeros(_ n: Int) { bytes.append(contentsOf: repeatElement(0, count: n)) }

    @inlinable mutating func append<T: FixedWidthInteger>(littleEndian v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Overwrites a little-endian u32 at `offset` (for checksums filled in last).
    @inlinable mutating func patch32(_ v: UInt32, at offset: Int) {
        withUnsafeBytes(of: v.littleEndian) { src in
            for i in 0..<4 { bytes[offset + i] = src[i] }
        }
    }
}

/// Reads little-endian integers from a raw buffer; every read is bounds-checked.
@usableFromInline
struct ByteReader {
    @usableFromInline let buffer: UnsafeRawBufferPointer
    @usableFromInline var offset: Int

    @inlinable init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    @inlinable var remaining: Int { buffer.count - offset }

    @inlinable mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
        guard remaining >= MemoryLayout<T>.size else { return nil }
        let v = buffer.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    @inlinable mutating func bytes(_ n: Int) -> [UInt8]? {
        guard n >= 0, remaining >= n else { return nil }
        defer { offset += n }
        return Array(buffer[offset..<offset + n])
    }
}

extension UnsafeRawBufferPointer {
    @inlinable func le<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
