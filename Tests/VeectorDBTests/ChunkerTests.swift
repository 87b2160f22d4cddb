import Testing
import VeectorDB

@Suite("Content-defined chunker (FastCDC)")
struct ChunkerTests {
    /// `count` bytes from splitmix64(seed), each output written little-endian (as in Spec/chunking.md).
    static func pseudoRandom(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = ContentDefinedChunker.SplitMix64(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(count + 8)
        while out.count < count {
            let v = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
        }
        return Array(out.prefix(count))
    }

    static func checkCoverage(_ ranges: [Range<Int>], count: Int, parameters p: ContentDefinedChunker.Parameters) {
        var position = 0
        for (i, range) in ranges.enumerated() {
            #expect(range.lowerBound == position)
            #expect(range.count <= p.maxSize)
            if i < ranges.count - 1 { #expect(range.count >= p.minSize) }
            #expect(!range.isEmpty)
            position = range.upperBound
        }
        #expect(position == count)
    }

    @Test func gearTableIsFixed() {
        let gear = ContentDefinedChunker.gear
        #expect(gear.count == 256)
        #expect(ContentDefinedChunker.gearSeed == 0x5665_6563_746F_7231)
        // Also written in Spec/chunking.md: changing these changes every chunk ever stored.
        #expect(Array(gear.prefix(4)) == [0x7E6D_5955_FC80_5E59, 0x2735_0373_26CB_0260, 0xBD6F_AE9E_26D6_9E7B, 0x8CCA_A23A_DFD1_A5D7])
    }

    @Test func boundariesCoverInputAndRespectLimits() {
        let chunker = ContentDefinedChunker()
        for size in [0, 1, 100, 16 << 10, (16 << 10) + 1, 300_000, 3 << 20] {
            let data = Self.pseudoRandom(size, seed: UInt64(size))
            Self.checkCoverage(chunker.chunkBoundaries(data), count: size, parameters: .documents)
        }
        #expect(chunker.chunkBoundaries([]).isEmpty)
    }

    @Test func smallParametersAlsoRespectLimits() {
        let p = ContentDefinedChunker.Parameters(minSize: 256, averageSize: 1024, maxSize: 4096)
        let data = Self.pseudoRandom(1 << 20, seed: 7)
        let ranges = ContentDefinedChunker(p).chunkBoundaries(data)
        Self.checkCoverage(ranges, count: data.count, parameters: p)
        let mean = data.count / ranges.count
        #expect(mean > 600 && mean < 2000, "mean chunk \(mean) should be near the 1 KiB average")
    }

    @Test func deterministic() {
        let data = Self.pseudoRandom(2 << 20, seed: 1)
        #expect(ContentDefinedChunker().chunkBoundaries(data) == ContentDefinedChunker().chunkBoundaries(data))
    }

    @Test func insertionChangesFewChunks() {
        let original = Self.pseudoRandom(4 << 20, seed: 99)
        var edited = original
        edited.insert(contentsOf: Array("an edit in the middle of the document".utf8), at: 2 << 20)
        let chunker = ContentDefinedChunker()
        let before = Set(chunker.chunkBoundaries(original).map { Array(original[$0]) })
        let afterChunks = chunker.chunkBoundaries(edited).map { Array(edited[$0]) }
        let changed = afterChunks.filter { !before.contains($0) }.count
        #expect(changed >= 1 && changed <= 3, "\(changed) chunks changed")
    }

    @Test func allZeroInputCutsAtMax() {
        let p = ContentDefinedChunker.Parameters.documents
        let data = [UInt8](repeating: 0, count: 1 << 20)
        let ranges = ContentDefinedChunker().chunkBoundaries(data)
        Self.checkCoverage(ranges, count: data.count, parameters: p)
    }

    /// The vector in Spec/chunking.md: 1 MiB from splitmix64(42), default parameters. The same
    /// lengths come from an independent Python implementation of the spec (see the spec).
    @Test func specVector() {
        let data = Self.pseudoRandom(1 << 20, seed: 42)
        #expect(Array(data.prefix(8)) == [0x95, 0x6E, 0xEB, 0x2F, 0x26, 0x32, 0xD7, 0xBD])
        let lengths = ContentDefinedChunker().chunkBoundaries(data).map(\.count)
        #expect(lengths == [80941, 17253, 77504, 76919, 107630, 78769, 83145, 66109, 68430, 153300, 107701, 50697, 39121, 41057])
    }
}
