/// Splits large values into content-defined chunks (FastCDC with normalized chunking), so that
/// an edit in the middle of a document changes only the chunks around the edit: the boundaries
/// depend on the bytes near them, not on their offsets, and so resynchronise right after it.
///
/// A boundary falls where a gear rolling hash (`h = (h << 1) &+ gear[byte]`) has its top bits all
/// zero. No chunk is shorter than `minSize` (except the last) or longer than `maxSize`. Up to
/// `averageSize` a stricter mask (more bits) is used, after it a looser one (fewer bits), which
/// pulls chunk sizes towards the average ("normalized chunking", level 1). The gear table is
/// fixed forever (see Spec/chunking.md): changing it would change every chunk ID ever stored.
public struct ContentDefinedChunker: Sendable {
    /// Chunk size limits in bytes.
    public struct Parameters: Sendable, Equatable {
        /// Smallest chunk (only the last chunk of a value may be shorter).
        public let minSize: Int
        /// Typical chunk size the masks aim for; rounded to a power of two for the masks.
        public let averageSize: Int
        /// Largest chunk; a boundary is forced here.
        public let maxSize: Int

        /// Makes parameters; requires 64 <= minSize <= averageSize <= maxSize (a programming error otherwise).
        public init(minSize: Int, averageSize: Int, maxSize: Int) {
            precondition(minSize >= 64 && minSize <= averageSize && averageSize <= maxSize,
                         "ContentDefinedChunker.Parameters: need 64 <= minSize <= averageSize <= maxSize")
            self.minSize = minSize
            self.averageSize = averageSize
            self.maxSize = maxSize
        }

        /// For documents and blobs: 16 KiB minimum, 64 KiB average, 256 KiB maximum.
        public static let documents = Parameters(minSize: 16 << 10, averageSize: 64 << 10, maxSize: 256 << 10)
    }

    /// The seed of the splitmix64 generator that makes the gear table ("Veector1" in ASCII).
    public static let gearSeed: UInt64 = 0x5665_6563_746F_7231

    /// The 256 gear values: the first 256 outputs of splitmix64 seeded with `gearSeed`.
    public static let gear: [UInt64] = {
        var generator = SplitMix64(seed: gearSeed)
        return (0..<256).map { _ in generator.next() }
    }()

    /// The limits this chunker cuts with.
    public let parameters: Parameters
    private let strictMask: UInt64
    private let looseMask: UInt64

    /// Makes a chunker with `p` (default: `.documents`).
    public init(_ p: Parameters = .documents) {
        parameters = p
        var bits = 0
        while (1 << (bits + 1)) <= p.averageSize { bits += 1 }        // floor(log2(average))
        strictMask = Self.topBits(bits + 1)
        looseMask = Self.topBits(bits - 1)
    }

    /// A mask of the top `n` bits: those depend on the most recent 64 bytes, the low bits on fewer.
    private static func topBits(_ n: Int) -> UInt64 {
        n <= 0 ? 0 : ~UInt64(0) << UInt64(64 - min(n, 64))
    }

    /// The chunks of `data`, as consecutive ranges that cover it exactly (empty for empty input).
    public func chunkBoundaries(_ data: [UInt8]) -> [Range<Int>] {
        data.withUnsafeBytes { chunkBoundaries($0) }
    }

    /// The chunks of bytes lent by pointer, as consecutive ranges that cover them exactly.
    public func chunkBoundaries(_ data: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(data.count / parameters.averageSize + 1)
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count > 0 else { return ranges }
        Self.gear.withUnsafeBufferPointer { gear in
            let gearBase = gear.baseAddress!
            var start = 0
            while start < data.count {
                let length = cutLength(base + start, count: data.count - start, gear: gearBase)
                ranges.append(start ..< start + length)
                start += length
            }
        }
        return ranges
    }

    /// Length of the next chunk at `p` (FastCDC's cut-point search).
    @inline(__always)
    private func cutLength(_ p: UnsafePointer<UInt8>, count: Int, gear: UnsafePointer<UInt64>) -> Int {
        if count <= parameters.minSize { return count }
        let end = min(count, parameters.maxSize)
        let normal = min(end, parameters.averageSize)
        var hash: UInt64 = 0
        var i = parameters.minSize
        while i < normal {
            hash = (hash << 1) &+ gear[Int(p[i])]
            if hash & strictMask == 0 { return i + 1 }
            i += 1
        }
        while i < end {
            hash = (hash << 1) &+ gear[Int(p[i])]
            if hash & looseMask == 0 { return i + 1 }
            i += 1
        }
        return end
    }

    /// splitmix64 (Steele, Lea, Flood 2014): a tiny, fully specified generator, for numbers that
    /// must be the same on every machine forever (the gear table, the spec's test input).
    public struct SplitMix64: RandomNumberGenerator, Sendable {
        private var state: UInt64

        /// Starts the sequence at `seed`.
        public init(seed: UInt64) { state = seed }

        /// The next 64-bit output.
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
