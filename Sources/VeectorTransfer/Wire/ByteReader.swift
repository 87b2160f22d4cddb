import ContentID

/// Reads the big-endian fields of one transfer message or manifest, with errors that name the field
/// and its byte offset.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func take(_ n: Int, _ field: String) throws(TransferWireError) -> ArraySlice<UInt8> {
        guard n <= remaining else { throw .truncated(field: field, offset: offset) }
        defer { offset += n }
        return bytes[offset ..< offset + n]
    }

    mutating func u8(_ field: String) throws(TransferWireError) -> UInt8 { try take(1, field).first! }

    mutating func uint(_ width: Int, _ field: String) throws(TransferWireError) -> UInt64 {
        var v: UInt64 = 0
        for b in try take(width, field) { v = v << 8 | UInt64(b) }
        return v
    }

    /// An integer of `width` bytes that must lie in `range`.
    mutating func int(_ width: Int, _ field: String, in range: ClosedRange<Int>) throws(TransferWireError) -> Int {
        let at = offset
        let v = try uint(width, field)
        guard v <= UInt64(Int.max), range.contains(Int(v)) else {
            throw .invalidField(field, offset: at, reason: "must be in \(range.lowerBound)…\(range.upperBound), got \(v)")
        }
        return Int(v)
    }

    /// A CID written as one length byte and its binary form; it must use sha2-256.
    mutating func cid(_ field: String) throws(TransferWireError) -> CID {
        let length = try int(1, field + ".length", in: 1...TransferLimits.maxCIDBytes)
        let at = offset
        let raw = Array(try take(length, field))
        let cid: CID
        do { cid = try CID(bytes: raw) } catch {
            throw .invalidField(field, offset: at, reason: "not a binary CID (\(error))")
        }
        guard cid.bytes == raw else {
            throw .invalidField(field, offset: at, reason: "must be a binary CIDv1 (a CIDv0 or non-minimal form is not accepted)")
        }
        guard cid.sha256Digest != nil else {
            throw .invalidField(field, offset: at, reason: "transfer needs a sha2-256 CID, got hash code 0x\(String(cid.multihash.code, radix: 16))")
        }
        return cid
    }

    /// A count (`u16`) then that many chunk indices (`u32`, each below `TransferLimits.maxChunks`).
    mutating func indices(_ field: String, count: ClosedRange<Int>) throws(TransferWireError) -> [Int] {
        let n = try int(2, field + ".count", in: count)
        var out: [Int] = []
        out.reserveCapacity(n)
        for k in 0..<n { out.append(try int(4, "\(field)[\(k)]", in: 0...(TransferLimits.maxChunks - 1))) }
        return out
    }

    func end() throws(TransferWireError) {
        guard remaining == 0 else { throw .trailingBytes(remaining) }
    }
}

/// Appends big-endian integers and CIDs in the transfer wire layout.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func uint(_ v: UInt64, _ width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }
    mutating func u16(_ v: Int) { uint(UInt64(v), 2) }
    mutating func u32(_ v: Int) { uint(UInt64(v), 4) }
    mutating func cid(_ c: CID) {
        let raw = c.bytes
        bytes.append(UInt8(raw.count))
        bytes.append(contentsOf: raw)
    }
    mutating func indices(_ list: [Int]) {
        u16(list.count)
        for i in list { u32(i) }
    }
}
