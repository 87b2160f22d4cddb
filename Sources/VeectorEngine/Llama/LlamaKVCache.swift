/// The keys and values every layer has computed for the positions of one sequence, in f32, so each
/// new token attends to the past without recomputing it.
///
/// Each layer keeps its own count: self-speculative decoding fills the shallow layers for drafted
/// positions before the deep ones, and `truncate(to:)` rolls every layer back past rejected drafts.
/// A value type: copying a cache (one per beam) shares storage until one copy writes.
public struct LlamaKVCache: Sendable {
    /// The most positions the cache holds: the context window of whatever uses it.
    public let capacity: Int
    /// Floats per position per layer (key/value heads × head dimension).
    public let width: Int
    var keys: [[Float]]
    var values: [[Float]]
    /// Positions filled, per layer.
    public private(set) var counts: [Int]

    /// An empty cache for `layerCount` layers and up to `capacity` positions of `width` floats.
    /// Storage grows as positions are written.
    public init(layerCount: Int, width: Int, capacity: Int) {
        self.capacity = capacity
        self.width = width
        keys = Array(repeating: [], count: layerCount)
        values = Array(repeating: [], count: layerCount)
        counts = Array(repeating: 0, count: layerCount)
    }

    /// Positions filled in every layer: the length of the sequence the cache fully describes.
    public var count: Int { counts.min() ?? 0 }

    /// Forgets every position at or after `length` in every layer (rolling back rejected drafts).
    public mutating func truncate(to length: Int) {
        for layer in counts.indices where counts[layer] > length {
            counts[layer] = length
            keys[layer].removeSubrange((length * width)...)
            values[layer].removeSubrange((length * width)...)
        }
    }

    /// Stores the keys and values of `n` consecutive positions starting at `position` in `layer`
    /// (`position` must not leave a gap). Returns false when they do not fit in the capacity.
    mutating func write(layer: Int, position: Int, n: Int, keys k: UnsafePointer<Float>,
                        values v: UnsafePointer<Float>) -> Bool {
        precondition(position <= counts[layer], "KV cache write at \(position) leaves a gap after \(counts[layer])")
        guard position + n <= capacity else { return false }
        let begin = position * width, end = (position + n) * width
        let kBuffer = UnsafeBufferPointer(start: k, count: n * width)
        let vBuffer = UnsafeBufferPointer(start: v, count: n * width)
        keys[layer].replaceSubrange(begin..<min(end, keys[layer].count), with: kBuffer)
        values[layer].replaceSubrange(begin..<min(end, values[layer].count), with: vBuffer)
        if keys[layer].count > end {
            keys[layer].removeSubrange(end...)
            values[layer].removeSubrange(end...)
        }
        counts[layer] = position + n
        return true
    }
}
