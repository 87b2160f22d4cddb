import CZstd

/// zstd compression for document chunks (libzstd). Level 3 is zstd's default balance.
public enum Zstd {
    /// Compresses `bytes` at `level`.
    public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 3) -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        var out = [UInt8](repeating: 0, count: bound)
        let n = out.withUnsafeMutableBytes { o in
            ZSTD_compress(o.baseAddress, bound, bytes.baseAddress, bytes.count, level)
        }
        // Compression into a buffer of compressBound size cannot fail.
        precondition(ZSTD_isError(n) == 0, "zstd: \(String(cString: ZSTD_getErrorName(n)))")
        out.removeLast(bound - n)
        return out
    }

    /// Compresses a byte array.
    public static func compress(_ bytes: [UInt8], level: Int32 = 3) -> [UInt8] {
        bytes.withUnsafeBytes { compress($0, level: level) }
    }

    /// Decompresses a frame whose decompressed size is `expectedSize` (stated in our own records).
    public static func decompress(_ bytes: [UInt8], expectedSize: Int) throws(BlobError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expectedSize)
        let n = out.withUnsafeMutableBytes { o in
            bytes.withUnsafeBytes { i in ZSTD_decompress(o.baseAddress, expectedSize, i.baseAddress, i.count) }
        }
        if ZSTD_isError(n) != 0 { throw .corrupt("zstd: \(String(cString: ZSTD_getErrorName(n)))") }
        guard n == expectedSize else { throw .corrupt("zstd frame holds \(n) bytes, expected \(expectedSize)") }
        return out
    }
}
