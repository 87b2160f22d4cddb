/// The result of verifying every checksum in the database.
public struct CheckReport: Sendable, Codable, Equatable {
    /// Segment files read.
    public var segmentsChecked = 0
    /// Records whose header and value were verified.
    public var recordsChecked = 0
    /// Bytes read.
    public var bytesChecked: UInt64 = 0
    /// Every damaged stretch, by segment and offset.
    public var problems: [DamagedRange] = []
    /// Whether nothing is damaged.
    public var isHealthy: Bool { problems.isEmpty }
}

extension Database {
    /// Reads every segment and verifies every record's header and value checksum and every
    /// transaction's commit record, plus the index checkpoint. Runs alongside readers and writers.
    public func check() -> CheckReport {
        var report = CheckReport()
        let (segments, activeNumber, end, indexNumber) = state.read {
            (manifest.segments.map { ($0, readers[$0]!) }, active.number, activeEnd, manifest.indexFile)
        }
        if indexNumber > 0 {
            do { _ = try IndexFile(path: path + "/" + Manifest.indexName(indexNumber)) } catch {
                report.problems.append(DamagedRange(segment: 0, offset: 0, length: 0, reason: "index checkpoint: \(error)"))
            }
        }
        // Every indexed version must lie inside its segment (a segment cut short loses them).
        let sizes = Dictionary(uniqueKeysWithValues: segments.map { ($0.0, $0.0 == activeNumber ? end : ((try? $0.1.file.size()) ?? 0)) })
        state.read {
            func verify(_ key: [UInt8], _ e: IndexEntry) {
                let recordEnd = e.recordOffset + UInt64(e.valueOffset) + UInt64(e.valueLength)
                if let size = sizes[e.segment], recordEnd <= size { return }
                let ck = CompositeKey(bytes: key)
                report.problems.append(DamagedRange(
                    segment: e.segment, offset: e.recordOffset, length: recordEnd - e.recordOffset,
                    reason: "lost: collection '\(String(decoding: ck.collection, as: UTF8.self))', key \(hex(ck.key)), version \(e.version) lies past the end of its segment"))
            }
            if let index { for i in 0..<index.entryCount { verify(Array(index.keyBytes(i)), index.entry(i)) } }
            for (key, versions) in memtable.versions { for e in versions { verify(key.bytes, e) } }
        }
        for (number, reader) in segments {
            report.segmentsChecked += 1
            let size = number == activeNumber ? end : ((try? reader.file.size()) ?? 0)
            guard size > 0 else { continue }
            let mapping: FileMapping
            do { mapping = try reader.map(offset: 0, count: Int(size)) } catch {
                report.problems.append(DamagedRange(segment: number, offset: 0, length: size, reason: "\(error)"))
                continue
            }
            report.bytesChecked += size
            let scan = RecordScanner(segment: number, bytes: mapping.bytes, baseOffset: 0, verifyValues: true).scan()
            report.problems += scan.damage
            var assembler = TransactionAssembler(segment: number)
            for r in scan.records {
                report.recordsChecked += 1
                assembler.add(r)
                if !r.valueIntact {
                    let name = String(decoding: r.collection, as: UTF8.self)
                    report.problems.append(DamagedRange(
                        segment: number, offset: r.offset, length: UInt64(r.header.totalLength),
                        reason: "value checksum mismatch (collection '\(name)', key \(hex(r.key)), version \(r.header.version))"))
                }
            }
            report.problems += assembler.incomplete
            if let first = assembler.trailing.first {
                report.problems.append(DamagedRange(segment: number, offset: first.offset, length: scan.end - first.offset,
                                                    reason: "transaction \(first.header.txnID) has no commit record"))
            }
            if scan.tailIsGarbage || scan.end < size {
                report.problems.append(DamagedRange(segment: number, offset: scan.end, length: size - scan.end,
                                                    reason: "unreadable bytes at the end of the segment"))
            }
        }
        return report
    }
}

func hex(_ bytes: some Collection<UInt8>, limit: Int = 32) -> String {
    let shown = bytes.prefix(limit).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    return bytes.count > limit ? shown + "…" : shown
}
