/// One record found while scanning a segment.
struct ScannedRecord {
    var offset: UInt64
    var header: RecordHeader
    var collection: [UInt8]
    var key: [UInt8]
    /// False when the value failed its checksum (only checked when asked).
    var valueIntact: Bool
}

/// A stretch of a segment that is not a valid record.
public struct DamagedRange: Sendable, Equatable, Codable {
    /// The segment file number.
    public var segment: UInt64
    /// Byte offset where the damage starts.
    public var offset: UInt64
    /// How many bytes are affected.
    public var length: UInt64
    /// What is wrong.
    public var reason: String
}

/// Walks the records of one segment, resynchronising after damage: a byte that breaks a record
/// costs that record only; the scan continues at the next intact header (records start at 8-byte
/// boundaries and every header carries its own checksum).
struct RecordScanner {
    let segment: UInt64
    let bytes: UnsafeRawBufferPointer
    let baseOffset: UInt64
    let verifyValues: Bool

    struct Result {
        var records: [ScannedRecord] = []
        /// Damaged stretches followed by at least one intact record.
        var damage: [DamagedRange] = []
        /// Where the readable log ends: after the last intact record (a torn or zero tail follows).
        var end: UInt64 = 0
        /// Bytes after `end` that are not zero (a torn write or garbage).
        var tailIsGarbage = false
    }

    /// Decodes and checks the header at `pos` (relative to `bytes`).
    func header(at pos: Int) -> RecordHeader? {
        guard pos + RecordHeader.size <= bytes.count,
              let h = RecordHeader.decode(UnsafeRawBufferPointer(rebasing: bytes[pos..<(pos + RecordHeader.size)])) else { return nil }
        let checkedEnd = pos + 8 + h.checkedLength
        guard checkedEnd <= bytes.count, pos + h.totalLength <= bytes.count else { return nil }
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[(pos + 8)..<checkedEnd])) == h.headerCRC else { return nil }
        return h
    }

    func scan() -> Result {
        var result = Result()
        var pos = 0
        while pos + RecordHeader.size <= bytes.count {
            if let h = header(at: pos) {
                result.records.append(record(h, at: pos))
                pos += h.totalLength
                result.end = baseOffset + UInt64(pos)
                continue
            }
            // Not a record: find the next intact header.
            var next = pos + 8
            while next + RecordHeader.size <= bytes.count {
                if bytes.le(UInt32.self, at: next) == RecordHeader.magic, header(at: next) != nil { break }
                next += 8
            }
            if next + RecordHeader.size > bytes.count {
                result.tailIsGarbage = bytes[pos...].contains { $0 != 0 }
                return result
            }
            result.damage.append(DamagedRange(segment: segment, offset: baseOffset + UInt64(pos),
                                              length: UInt64(next - pos), reason: "unreadable record header"))
            pos = next
        }
        if pos < bytes.count { result.tailIsGarbage = bytes[pos...].contains { $0 != 0 } }
        return result
    }

    private func record(_ h: RecordHeader, at pos: Int) -> ScannedRecord {
        let c0 = pos + RecordHeader.size
        let k0 = c0 + Int(h.collectionLength)
        let v0 = pos + h.valueOffset
        var intact = true
        if verifyValues && h.kind != .commit {
            let value = UnsafeRawBufferPointer(rebasing: bytes[v0..<(v0 + Int(h.valueLength))])
            intact = CRC32C.checksum(value) == h.valueCRC
        }
        return ScannedRecord(offset: baseOffset + UInt64(pos), header: h,
                             collection: Array(bytes[c0..<k0]), key: Array(bytes[k0..<(k0 + Int(h.keyLength))]),
                             valueIntact: intact)
    }
}

/// Groups scanned records into transactions: a transaction counts only when its commit record is
/// present, names the right number of operations, and its checksum over their header checksums matches.
struct TransactionAssembler {
    struct Transaction {
        var txnID: UInt64
        var ops: [ScannedRecord]
        var start: UInt64
        var end: UInt64
        /// Where the group-commit batch this transaction was written in starts.
        var batchStart: UInt64
        var valuesIntact: Bool { ops.allSatisfy(\.valueIntact) }
    }

    var complete: [Transaction] = []
    var incomplete: [DamagedRange] = []
    private var pending: [ScannedRecord] = []
    let segment: UInt64

    init(segment: UInt64) { self.segment = segment }

    mutating func add(_ r: ScannedRecord) {
        if r.header.kind == .commit {
            let ops = pending
            pending = []
            var crc: UInt32 = 0
            for op in ops { crc = withUnsafeBytes(of: op.header.headerCRC.littleEndian) { CRC32C.checksum($0, continuing: crc) } }
            let wellFormed = ops.count == Int(r.header.opIndex) && crc == r.header.valueCRC
                && ops.allSatisfy { $0.header.txnID == r.header.txnID }
                && ops.enumerated().allSatisfy { $0.element.header.opIndex == UInt32($0.offset) }
            if wellFormed {
                complete.append(Transaction(txnID: r.header.txnID, ops: ops, start: ops.first?.offset ?? r.offset,
                                            end: r.offset + UInt64(r.header.totalLength),
                                            batchStart: r.offset - min(r.offset, UInt64(r.header.batchDistance))))
            } else {
                incomplete.append(DamagedRange(segment: segment, offset: ops.first?.offset ?? r.offset,
                                               length: r.offset + UInt64(r.header.totalLength) - (ops.first?.offset ?? r.offset),
                                               reason: "transaction \(r.header.txnID) is missing operations"))
            }
            return
        }
        if let first = pending.first, first.header.txnID != r.header.txnID {
            flushIncomplete(endingAt: r.offset)
        }
        pending.append(r)
    }

    /// Operations left without a commit record (a torn tail, or damage).
    var trailing: [ScannedRecord] { pending }

    private mutating func flushIncomplete(endingAt end: UInt64) {
        guard let first = pending.first else { return }
        incomplete.append(DamagedRange(segment: segment, offset: first.offset, length: end - first.offset,
                                       reason: "transaction \(first.header.txnID) has no commit record"))
        pending = []
    }
}
