/// Received bytes not yet consumed, read as `2-byte big-endian length ‖ body` frames.
/// Consumed bytes are dropped lazily (a read index), compacted once they are the larger part.
struct FrameBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var start = 0

    /// Bytes waiting.
    var count: Int { bytes.count - start }

    mutating func append(_ more: [UInt8]) {
        if start > 0 && start >= bytes.count - start {
            bytes.removeSubrange(0..<start)
            start = 0
        }
        bytes.append(contentsOf: more)
    }

    /// The length field of the next frame, if its two bytes have arrived.
    var nextLength: Int? {
        guard count >= 2 else { return nil }
        return Int(bytes[start]) << 8 | Int(bytes[start + 1])
    }

    /// True if the whole next frame (header and `length` body bytes) has arrived.
    func hasFrame(length: Int) -> Bool { count >= 2 + length }

    /// Removes the next frame and returns its body.
    mutating func takeFrame(length: Int) -> [UInt8] {
        let body = Array(bytes[(start + 2)..<(start + 2 + length)])
        start += 2 + length
        return body
    }

    /// Lends the next frame's body to `body`, then removes the frame.
    mutating func consumeFrame<R>(length: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let s = start + 2
        let result = bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[s..<(s + length)])) }
        start += 2 + length
        return result
    }

    /// Drops everything (after the session closed).
    mutating func removeAll() {
        bytes = []
        start = 0
    }
}
