import ContentID
import Foundation
import Testing
import VeectorBlocks
import VeectorEngine

/// The block format of Spec/blocks.md: layout, the test vector, and rejection of damaged blocks.
@Suite struct BlockFormatTests {
    /// The test vector of Spec/blocks.md: a llama layer block with an F32 norm [2] and a Q8_0 matrix [32, 1].
    static func vector() throws -> EncodedBlock {
        var b = BlockBuilder(arch: "llama", role: .layer(0), variant: .ultimate, input: [32], output: [32])
        try b.add(name: "attn_norm.weight", type: .f32, dims: [2], bytes: floatBytes([1, -2]))
        try b.add(name: "attn_q.weight", type: .q8_0, dims: [32, 1], bytes: Requantizer.quantize((0..<32).map { Float($0) - 16 }, to: .q8_0))
        return b.build()
    }

    @Test func testVectorMatchesTheSpec() throws {
        let block = try Self.vector()
        let json = String(decoding: block.bytes[12..<(12 + Int(block.bytes[8]))], as: UTF8.self)
        #expect(json == #"{"arch":"llama","input":[32],"needs":[],"output":[32],"role":"layer.0","tensors":[{"dims":[2],"length":8,"name":"attn_norm.weight","offset":0,"type":"F32"},{"dims":[32,1],"length":34,"name":"attn_q.weight","offset":64,"type":"Q8_0"}],"variant":"ultimate"}"#)
        #expect(Array(block.bytes[0..<12]) == [0x56, 0x42, 0x4C, 0x4B, 1, 0, 0, 0, UInt8(json.utf8.count), 0, 0, 0])
        let dataStart = (12 + json.utf8.count + 63) / 64 * 64
        #expect(block.bytes.count == dataStart + 64 + 34)
        #expect(Array(block.bytes[dataStart..<(dataStart + 8)]) == floatBytes([1, -2]))
        #expect(block.bytes[(dataStart + 8)..<(dataStart + 64)].allSatisfy { $0 == 0 })
        #expect(block.cid.description == Self.specCID)
        #expect(block.cid == CID.sha256(of: block.bytes))
    }

    /// The CID written in Spec/blocks.md for the test vector.
    static let specCID = "bafkreidejdbvjmqbu5peonbp3unnuqwk3pep6mi52bf4esw7jhcbg33mpe"

    /// The token-table shard test vector of Spec/blocks.md: its manifest states its rows and parses back.
    @Test func shardManifestMatchesTheSpec() throws {
        var b = BlockBuilder(arch: "llama", role: .embeddingShard(1), variant: .ultimate, input: [], output: [32])
        b.rows = [32, 64]
        try b.add(name: "token_embd.weight", type: .q8_0, dims: [32, 32],
                  bytes: Requantizer.quantize((0..<1024).map { Float($0 % 61) - 30 }, to: .q8_0))
        let block = b.build()
        let json = String(decoding: block.bytes[12..<(12 + Int(block.bytes[8]))], as: UTF8.self)
        #expect(json == #"{"arch":"llama","input":[],"needs":[],"output":[32],"role":"embedding.1","rows":[32,64],"tensors":[{"dims":[32,32],"length":1088,"name":"token_embd.weight","offset":0,"type":"Q8_0"}],"variant":"ultimate"}"#)
        try block.bytes.withUnsafeBytes { raw in
            let parsed = try ParsedBlock(bytes: raw)
            #expect(parsed.role == .embeddingShard(1) && parsed.manifest.rows == [32, 64])
        }
        // A layer block stating rows is refused.
        var layer = BlockBuilder(arch: "llama", role: .layer(0), variant: .ultimate, input: [32], output: [32])
        layer.rows = [0, 1]
        let bad = layer.build()
        #expect(throws: BlockFormatError.self) { _ = try bad.bytes.withUnsafeBytes { try ParsedBlock(bytes: $0) } }
    }

    @Test func parsedTensorsPointIntoTheBytes() throws {
        let block = try Self.vector()
        try block.bytes.withUnsafeBytes { raw in
            let parsed = try ParsedBlock(bytes: raw)
            #expect(parsed.role == .layer(0) && parsed.manifest.variant == .ultimate)
            let tensors = parsed.tensors(owner: nil)
            let q = try #require(tensors["attn_q.weight"])
            #expect(q.type == .q8_0 && q.dimensions == [32, 1])
            #expect(q.bytes.baseAddress == raw.baseAddress! + parsed.dataOffset + 64)
            #expect(Int(bitPattern: q.bytes.baseAddress!) % 64 == Int(bitPattern: raw.baseAddress!) % 64)
            #expect(BlockQ8_0.dequantizeRow(q.bytes) == (0..<32).map { Float($0) - 16 }.map { v in
                let d = float32(fromFloat16Bits: float16Bits(from: 16.0 / 127))
                return (v / d).rounded() * d
            })
        }
    }

    @Test func damagedBlocksAreRejectedWithTheReason() throws {
        let good = try Self.vector().bytes
        func parse(_ bytes: [UInt8]) -> BlockFormatError? {
            bytes.withUnsafeBytes { raw -> BlockFormatError? in
                do throws(BlockFormatError) { _ = try ParsedBlock(bytes: raw); return nil } catch { return error }
            }
        }
        #expect(parse(good) == nil)
        #expect(parse(Array(good.prefix(8))) == .truncated(needed: 12, have: 8))
        var magic = good; magic[0] = 0x47
        #expect(parse(magic) == .badMagic([0x47, 0x42, 0x4C, 0x4B]))
        var version = good; version[4] = 9
        #expect(parse(version) == .unsupportedVersion(9))
        #expect(parse(Array(good.dropLast(1))) == .truncated(needed: good.count, have: good.count - 1))
        #expect(parse(good + [0]) == .badPadding(offset: good.count))
        // A space inside the manifest: still JSON, no longer canonical.
        var spaced = good
        let colon = try #require(spaced[12...].firstIndex(of: UInt8(ascii: ",")))
        spaced[colon] = UInt8(ascii: " ")
        if case .badManifest = parse(spaced) {} else { Issue.record("non-canonical manifest accepted") }
        // Non-zero padding between the two tensors (after the 8 bytes of the norm).
        var padded = good
        let between = good.count - 34 - 64 + 10
        padded[between] = 7
        #expect(parse(padded) == .badPadding(offset: between))
    }

    @Test func builderRefusesWrongSizes() {
        var b = BlockBuilder(arch: "llama", role: .head, variant: .ultimate, input: [4], output: [4])
        #expect(throws: BlockFormatError.self) { try b.add(name: "w", type: .q4_1, dims: [32, 2], bytes: [UInt8](repeating: 0, count: 39)) }
        #expect(throws: BlockFormatError.self) { try b.add(name: "w", type: .q4_1, dims: [31, 2], bytes: [UInt8](repeating: 0, count: 40)) }
    }

    @Test func roleNamesRoundTrip() {
        for role in [BlockRole.embedding, .head, .layer(0), .layer(29)] {
            #expect(BlockRoleName.role(BlockRoleName.name(role)) == role)
        }
        for bad in ["layer.", "layer.-1", "layer.01", "Layer.1", "tail"] { #expect(BlockRoleName.role(bad) == nil) }
    }
}
