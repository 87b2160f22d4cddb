/// Float buffers for weights that cannot be used in place (quantised or half-precision variants,
/// misaligned bytes, the stacked query/key/value projection): handed out in order during one layer, then handed out again, in the same order,
/// for the next layer. Layers of one model have the same shapes, so after the first layer nothing is
/// allocated. Not thread-safe: one forward pass owns one arena.
final class ScratchArena {
    private var buffers: [UnsafeMutableBufferPointer<Float>] = []
    private var next = 0

    /// Starts handing out buffers from the first one again (the previous layer's data is dead).
    func reset() { next = 0 }

    /// A buffer of at least `count` floats, valid until the arena is reset or released.
    func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let size = max(count, 1)
        if next < buffers.count {
            if buffers[next].count < size {
                buffers[next].deallocate()
                buffers[next] = .allocate(capacity: size)
            }
        } else {
            buffers.append(.allocate(capacity: size))
        }
        next += 1
        return buffers[next - 1].baseAddress!
    }

    /// Bytes currently held.
    var bytesHeld: Int { buffers.reduce(0) { $0 + $1.count * 4 } }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
