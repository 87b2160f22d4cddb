import Testing
import VeectorEngine
import VeectorTestSupport

@Suite struct GGUFRejectionTests {
    func reject(_ writer: GGUFWriter) -> GGUFError? {
        reject(writer.bytes())
    }

    func reject(_ bytes: [UInt8]) -> GGUFError? {
        let dir = TemporaryDirectory(prefix: "gguf-bad")
        do {
            _ = try openGGUF(bytes, in: dir)
            return nil
        } catch let error as GGUFError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    func tensor(_ name: String, _ dims: [UInt64] = [32], type: UInt32 = 0, bytes: Int = 128, offset: UInt64? = nil) -> GGUFWriter.Tensor {
        .init(name: name, dimensions: dims, type: type, data: [UInt8](repeating: 1, count: bytes), offset: offset)
    }

    @Test func badMagic() {
        let error = reject(GGUFWriter(magic: Array("GGML".utf8)))
        #expect(error == .badMagic(found: Array("GGML".utf8)))
        #expect(error?.description.contains("not a GGUF file") == true)
    }

    @Test(arguments: [UInt32(0), 1, 4, 0x0300_0000])
    func unsupportedVersion(version: UInt32) {
        let error = reject(GGUFWriter(version: version))
        #expect(error == .unsupportedVersion(version))
        if version == 0x0300_0000 { #expect(error?.description.contains("big-endian") == true) }
    }

    /// Cuts a valid file at every length: each prefix must give a clean error, never a crash.
    @Test func truncatedAtEveryOffsetIsAlwaysACleanError() throws {
        var rng = SplitMix64(seed: 11)
        let writer = GGUFWriter(metadata: everyValueType, tensors: everyTensorType(&rng))
        let full = writer.bytes()
        let whole = try openGGUF(full, in: TemporaryDirectory(prefix: "gguf"))
        let dir = TemporaryDirectory(prefix: "gguf-cut")
        var kinds: [String: Int] = [:]
        for length in 0..<full.count {
            do {
                _ = try openGGUF(Array(full[..<length]), in: dir)
                Issue.record("a \(length)-byte prefix of a \(full.count)-byte file was accepted")
            } catch let error as GGUFError {
                switch error {
                case .truncated: kinds["truncated", default: 0] += 1
                case let .tensorPastEnd(tensor, _, _, size):
                    let first = whole.tensors.first { $0.fileOffset + $0.byteCount > length }
                    #expect(tensor == first?.name && size == length)
                    kinds["pastEnd", default: 0] += 1
                default: kinds["\(error)", default: 0] += 1
                }
            }
        }
        // Everything before the data section is "truncated", everything after names the last tensor.
        #expect(kinds.keys.sorted() == ["pastEnd", "truncated"])
        #expect(kinds["pastEnd"] == full.count - whole.dataOffset + 1 || kinds["pastEnd"]! >= full.count - whole.dataOffset)
    }

    @Test func truncatedMessageNamesWhatAndWhere() {
        let full = GGUFWriter(metadata: [("general.name", .string("SmolLM2"))]).bytes()
        let error = reject(Array(full.dropLast(3)))
        guard case let .truncated(what, offset, size)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(what == "the value of metadata 'general.name'" && size == full.count - 3 && offset > 24)
        #expect(error!.description.contains("general.name") && error!.description.contains("offset"))
    }

    @Test func tensorDataPastTheEndNamesTensorAndOffset() {
        var bytes = GGUFWriter(tensors: [tensor("a"), tensor("b")]).bytes()
        bytes.removeLast(1)
        let error = reject(bytes)
        guard case let .tensorPastEnd(name, offset, count, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(name == "b" && count == 128 && offset == bytes.count + 1 - 128)
        #expect(error!.description.contains("'b'") && error!.description.contains("\(offset)"))
    }

    @Test func misalignedTensorOffset() {
        let error = reject(GGUFWriter(tensors: [tensor("a", offset: 0), tensor("w", offset: 130)]))
        #expect(error == .misaligned(tensor: "w", offset: 130, alignment: 32))
    }

    @Test func overlappingTensors() {
        let error = reject(GGUFWriter(tensors: [tensor("a", offset: 0), tensor("b", offset: 96)]))
        #expect(error == .overlapping(tensor: "b", offset: 96, other: "a", otherEnd: 128))
    }

    @Test func implausibleCounts() {
        #expect(reject(GGUFWriter(tensorCountOverride: 1 << 21)) == .implausibleCount(what: "the tensor count", count: 1 << 21, offset: 8))
        #expect(reject(GGUFWriter(metadataCountOverride: UInt64.max)) == .implausibleCount(what: "the metadata count", count: UInt64.max, offset: 16))
        // A string whose length exceeds the file.
        var bytes = GGUFWriter(metadata: [("k", .string("v"))]).bytes()
        bytes.replaceSubrange(24..<32, with: [0, 0, 0, 0, 0, 1, 0, 0])  // key length 2^40
        guard case .implausibleCount(let what, 1 << 40, 24)? = reject(bytes) else { Issue.record("long key"); return }
        #expect(what == "the length of metadata key #0")
        // An array count far beyond the file.
        var arr = GGUFWriter(metadata: [("a", .array(elementType: .uint8, elements: [.uint8(1)]))]).bytes()
        let countAt = 24 + 8 + 1 + 4 + 4
        arr.replaceSubrange(countAt..<(countAt + 8), with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        guard case .implausibleCount(_, _, countAt)? = reject(arr) else { Issue.record("huge array"); return }
        // Arrays nested too deeply.
        var nested = GGUFValue.array(elementType: .uint8, elements: [])
        for _ in 0..<10 { nested = .array(elementType: .array, elements: [nested]) }
        guard case .implausibleCount? = reject(GGUFWriter(metadata: [("deep", nested)])) else { Issue.record("deep"); return }
    }

    @Test func unknownAndUnsupportedTensorTypes() {
        let unknown = reject(GGUFWriter(tensors: [tensor("blk.0.attn_q.weight", type: 99)]))
        guard case .unknownTensorType(99, "blk.0.attn_q.weight", _)? = unknown else { Issue.record("\(String(describing: unknown))"); return }
        #expect(unknown!.description.contains("99") && unknown!.description.contains("blk.0.attn_q.weight"))
        let k = reject(GGUFWriter(tensors: [tensor("ffn", [256], type: 12, bytes: 144)]))
        #expect(k == .unsupportedTensorType(.q4_K, tensor: "ffn"))
        #expect(k?.description.contains("Q4_K") == true)
    }

    @Test func malformedMetadataAndShapes() {
        var bytes = GGUFWriter(metadata: [("k", .uint8(1))]).bytes()
        bytes[24 + 8 + 1] = 13  // value type 13 does not exist
        #expect(reject(bytes) == .unknownValueType(13, key: "k", offset: 33))
        #expect(reject(GGUFWriter(metadata: [("k", .uint8(1)), ("k", .uint8(2))])) == .duplicate(what: "metadata key", name: "k", offset: 38))
        guard case .duplicate(what: "tensor name", name: "a", _)? = reject(GGUFWriter(tensors: [tensor("a"), tensor("a")])) else {
            Issue.record("duplicate tensor"); return
        }
        #expect(reject(GGUFWriter(alignment: 3)) == .badAlignment("it is 3"))
        #expect(reject(GGUFWriter(alignment: 0)) == .badAlignment("it is 0"))
        guard case .badShape? = reject(GGUFWriter(tensors: [tensor("five", [1, 1, 1, 1, 32])])) else { Issue.record("5 dims"); return }
        guard case .badShape? = reject(GGUFWriter(tensors: [tensor("huge", [1 << 62, 1 << 62])])) else { Issue.record("overflow"); return }
        #expect(reject(GGUFWriter(tensors: [tensor("p", [33], type: 3, bytes: 40)])) == .partialBlock(tensor: "p", dimension: 33, blockSize: 32))
        var utf = GGUFWriter(metadata: [("k", .string("ab"))]).bytes()
        utf[24 + 9 + 4 + 8 + 1] = 0xFF   // the 'b' of the value "ab" (whose bytes start at 45)
        #expect(reject(utf) == .invalidUTF8(what: "the value of metadata 'k'", offset: 45))
        var bool = GGUFWriter(metadata: [("b", .bool(true))]).bytes()
        bool[24 + 9 + 4] = 2
        guard case .implausibleCount? = reject(bool) else { Issue.record("bool 2"); return }
    }

    /// Random byte corruption anywhere in a valid file: opening either succeeds or throws, never crashes.
    @Test func randomCorruptionNeverCrashes() throws {
        var rng = SplitMix64(seed: 42)
        let full = GGUFWriter(metadata: everyValueType, tensors: everyTensorType(&rng)).bytes()
        let dir = TemporaryDirectory(prefix: "gguf-fuzz")
        var accepted = 0
        for _ in 0..<400 {
            var bytes = full
            for _ in 0..<Int(rng.next() % 4 + 1) {
                let at = Int(rng.next() % UInt64(full.count))
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let file = try? openGGUF(bytes, in: dir) {
                accepted += 1
                for t in file.tensors { _ = file.floats(of: t) }   // every accepted tensor is readable
            }
        }
        #expect(accepted < 400)
    }
}
