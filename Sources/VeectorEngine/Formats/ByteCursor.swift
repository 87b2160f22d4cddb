/// A bounds-checked little-endian reader over mapped bytes, used by the format parsers.
/// Every read either succeeds or returns `nil` (the caller turns that into an error naming what it
/// was reading and at which offset); it never reads past the end.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes left after `offset`.
    var remaining: Int { bytes.count - offset }

    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { return nil }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    /// `count` raw bytes, in place.
    mutating func slice(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, remaining >= count else { return nil }
        let result = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return result
    }
}
