import CVeectorSupport

/// CRC-32C (Castagnoli), the checksum of every record and metadata file in VeectorDB.
///
/// Hardware-accelerated (SSE4.2) where the CPU has it, chosen at run time.
public enum CRC32C {
    /// The checksum of `bytes`, continuing from `crc` (0 for a fresh checksum).
    @inlinable public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return veector_crc32c(crc, base, bytes.count)
    }

    /// The checksum of a byte array.
    @inlinable public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// The checksum of part of a byte array.
    @inlinable public static func checksum(_ bytes: ArraySlice<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }
}
