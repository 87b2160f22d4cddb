import Testing
import VeectorEngine
import VeectorTestSupport

/// Metadata covering every GGUF value type, including empty and nested arrays.
let everyValueType: [(String, GGUFValue)] = [
    ("t.u8", .uint8(250)), ("t.i8", .int8(-7)), ("t.u16", .uint16(65000)), ("t.i16", .int16(-30000)),
    ("t.u32", .uint32(4_000_000_000)), ("t.i32", .int32(-2_000_000_000)),
    ("t.u64", .uint64(UInt64.max)), ("t.i64", .int64(Int64.min)),
    ("t.f32", .float32(3.25)), ("t.f64", .float64(-1e300)), ("t.true", .bool(true)), ("t.false", .bool(false)),
    ("t.string", .string("Привет, 世界 👋")), ("t.empty", .string("")),
    ("t.a.u8", .array(elementType: .uint8, elements: [.uint8(1), .uint8(2)])),
    ("t.a.i8", .array(elementType: .int8, elements: [.int8(-1)])),
    ("t.a.u16", .array(elementType: .uint16, elements: [.uint16(1)])),
    ("t.a.i16", .array(elementType: .int16, elements: [.int16(-1)])),
    ("t.a.u32", .array(elementType: .uint32, elements: [.uint32(7), .uint32(8), .uint32(9)])),
    ("t.a.i32", .array(elementType: .int32, elements: [.int32(-9)])),
    ("t.a.u64", .array(elementType: .uint64, elements: [.uint64(1 << 40)])),
    ("t.a.i64", .array(elementType: .int64, elements: [.int64(-(1 << 40))])),
    ("t.a.f32", .array(elementType: .float32, elements: [.float32(0.5), .float32(-0.25)])),
    ("t.a.f64", .array(elementType: .float64, elements: [.float64(0.1)])),
    ("t.a.bool", .array(elementType: .bool, elements: [.bool(true), .bool(false)])),
    ("t.a.string", .array(elementType: .string, elements: [.string("Ġ t"), .string(""), .string("<|im_start|>")])),
    ("t.a.empty", .array(elementType: .float64, elements: [])),
    ("t.a.nested", .array(elementType: .array, elements: [
        .array(elementType: .int32, elements: [.int32(1), .int32(2)]),
        .array(elementType: .string, elements: [.string("x")]),
        .array(elementType: .array, elements: [.array(elementType: .uint8, elements: [.uint8(9)])]),
    ])),
]

/// One tensor of each supported type, with known contents.
func everyTensorType(_ rng: inout SplitMix64) -> [GGUFWriter.Tensor] {
    func quantBlocks(_ count: Int, bytesPerBlock: Int) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<count {
            var block = rng.bytes(bytesPerBlock)
            block[0] = 0x00; block[1] = 0x30          // d = 0.125
            if bytesPerBlock == 20 { block[2] = 0x00; block[3] = 0xB8 }  // m = -0.5
            out += block
        }
        return out
    }
    let f32: [Float] = (0..<12).map { Float($0) * 0.5 - 2 }
    return [
        .init(name: "f32", dimensions: [4, 3], type: 0, data: bytesOf(f32)),
        .init(name: "f16", dimensions: [5], type: 1, data: bytesOf([0x3C00, 0xC000, 0x3800, 0x0000, 0x7BFF] as [UInt16])),
        .init(name: "bf16", dimensions: [3], type: 30, data: bytesOf([0x3F80, 0xC0A0, 0x0000] as [UInt16])),
        .init(name: "q4_0", dimensions: [64, 2], type: 2, data: quantBlocks(4, bytesPerBlock: 18)),
        .init(name: "q4_1", dimensions: [32, 3], type: 3, data: quantBlocks(3, bytesPerBlock: 20)),
        .init(name: "q8_0", dimensions: [32], type: 8, data: quantBlocks(1, bytesPerBlock: 34)),
    ]
}

@Suite struct GGUFReaderTests {
    @Test(arguments: [UInt32(2), UInt32(3)])
    func readsEveryMetadataTypeAndTensorType(version: UInt32) throws {
        let dir = TemporaryDirectory(prefix: "gguf")
        var rng = SplitMix64(seed: 6)
        let tensors = everyTensorType(&rng)
        let writer = GGUFWriter(version: version, metadata: everyValueType, tensors: tensors)
        let file = try openGGUF(writer.bytes(), in: dir)

        #expect(file.version == version)
        #expect(file.metadataKeys == everyValueType.map(\.0))
        for (key, value) in everyValueType { #expect(file[key] == value, "\(key)") }
        #expect(file.alignment == 32)
        #expect(file.dataOffset % 32 == 0)
        #expect(file.tensors.map(\.name) == tensors.map(\.name))
        for (info, written) in zip(file.tensors, tensors) {
            #expect(info.dimensions == written.dimensions.map { Int($0) })
            #expect(info.type.rawValue == written.type)
            #expect(info.fileOffset == file.dataOffset + info.offset)
            #expect(info.offset % 32 == 0)
            #expect(Array(file.bytes(of: info)) == written.data, "\(info.name)")
        }
        #expect(file.floats(of: try file.tensor(named: "f32")) == (0..<12).map { Float($0) * 0.5 - 2 })
        #expect(file.floats(of: try file.tensor(named: "f16")) == [1, -2, 0.5, 0, 65504])
        #expect(file.floats(of: try file.tensor(named: "bf16")) == [1, -5, 0])
        let q41 = try file.tensor(named: "q4_1")
        let values = file.floats(of: q41)
        #expect(values.count == 96 && q41.byteCount == 60 && q41.elementCount == 96)
        // d = 0.125, m = -0.5: every value is n/8 - 0.5 for a nibble n.
        #expect(values.allSatisfy { v in (0...15).contains((v + 0.5) * 8) && ((v + 0.5) * 8).rounded() == (v + 0.5) * 8 })
        let raw = Array(file.bytes(of: q41))
        #expect(values[0] == Float(raw[4] & 0xF) * 0.125 - 0.5 && values[16] == Float(raw[4] >> 4) * 0.125 - 0.5)
        let q80 = try file.tensor(named: "q8_0")
        let q80raw = Array(file.bytes(of: q80))
        #expect(file.floats(of: q80) == (0..<32).map { Float(Int8(bitPattern: q80raw[2 + $0])) * 0.125 })
        let q40 = try file.tensor(named: "q4_0")
        let q40raw = Array(file.bytes(of: q40))
        #expect(file.floats(of: q40)[40] == Float(Int(q40raw[18 + 2 + 8] & 0xF) - 8) * 0.125)
    }

    @Test(arguments: [1, 8, 64, 4096])
    func honoursGeneralAlignment(alignment: Int) throws {
        let dir = TemporaryDirectory(prefix: "gguf")
        var rng = SplitMix64(seed: 7)
        let writer = GGUFWriter(metadata: [("general.architecture", .string("llama"))],
                                tensors: everyTensorType(&rng), alignment: UInt32(alignment))
        let file = try openGGUF(writer.bytes(), in: dir)
        #expect(file.alignment == alignment)
        #expect(file.dataOffset % alignment == 0)
        #expect(file.tensors.allSatisfy { $0.fileOffset % alignment == 0 })
        #expect(file.architecture == "llama")
        #expect(file["general.alignment"] == .uint32(UInt32(alignment)))
    }

    @Test func emptyFileWithoutTensorsOrMetadata() throws {
        let file = try openGGUF(GGUFWriter().bytes(), in: TemporaryDirectory(prefix: "gguf"))
        #expect(file.tensors.isEmpty && file.metadata.isEmpty && file.version == 3)
        #expect(throws: GGUFError.noSuchTensor("x")) { try file.tensor(named: "x") }
    }

    @Test func architectureScopedIntegers() throws {
        let writer = GGUFWriter(metadata: [("general.architecture", .string("llama")), ("llama.block_count", .uint32(30))])
        let file = try openGGUF(writer.bytes(), in: TemporaryDirectory(prefix: "gguf"))
        #expect(file.architectureInteger("block_count") == 30)
        #expect(file.architectureInteger("missing") == nil)
    }

    @Test func missingFileNamesThePath() {
        #expect(throws: MappedFileError.cannotOpen(path: "/nonexistent/x.gguf", errno: 2)) {
            try GGUFFile(path: "/nonexistent/x.gguf")
        }
        #expect(MappedFileError.cannotOpen(path: "/nonexistent/x.gguf", errno: 2).description.contains("/nonexistent/x.gguf"))
    }
}
