/// The activations of one forward pass over a packed group of sequences. Threads of one pass write
/// disjoint rows or columns of these buffers, never the same element. Made and kept by `BertWorkspace`.
struct ForwardBuffers: @unchecked Sendable {
    /// Tokens of this pass (at most `tokenCapacity`).
    let tokens: Int
    /// Tokens the buffers have room for.
    let tokenCapacity: Int
    /// Longest sequence the score matrices have room for.
    let longestCapacity: Int
    /// Widths the buffers were made for (the model's hidden and intermediate sizes).
    let hidden, intermediateSize: Int
    /// `x`: the hidden states; `qkv`: query, key and value side by side (`[tokens, 3·hidden]`), then the
    /// attended states; `context`: attention's output; `intermediate`: the feed-forward's hidden layer.
    let x, qkv, context, intermediate: UnsafeMutablePointer<Float>
    /// One attention score matrix (longest × longest) per thread.
    let scores: [UnsafeMutablePointer<Float>]

    /// New buffers for `tokens` tokens, sequences of at most `longest` tokens, and `threads` threads.
    init(tokens: Int, hidden: Int, intermediate size: Int, longest: Int, threads: Int) {
        self.tokens = tokens
        tokenCapacity = tokens
        longestCapacity = longest
        self.hidden = hidden
        intermediateSize = size
        x = .allocate(capacity: tokens * hidden)
        qkv = .allocate(capacity: max(3 * tokens * hidden, hidden))
        context = .allocate(capacity: tokens * hidden)
        intermediate = .allocate(capacity: tokens * size)
        scores = (0..<threads).map { _ in .allocate(capacity: longest * longest) }
    }

    private init(_ other: ForwardBuffers, tokens: Int) {
        self.tokens = tokens
        tokenCapacity = other.tokenCapacity
        longestCapacity = other.longestCapacity
        hidden = other.hidden
        intermediateSize = other.intermediateSize
        x = other.x
        qkv = other.qkv
        context = other.context
        intermediate = other.intermediate
        scores = other.scores
    }

    /// Whether these buffers can hold a pass of this shape.
    func fits(tokens: Int, hidden: Int, intermediate size: Int, longest: Int, threads: Int) -> Bool {
        tokens <= tokenCapacity && longest <= longestCapacity && threads <= scores.count
            && hidden == self.hidden && size == intermediateSize
    }

    /// The same memory, used for a pass of `tokens` tokens.
    func reused(tokens: Int) -> ForwardBuffers { ForwardBuffers(self, tokens: tokens) }

    /// Frees the memory.
    func release() {
        for p in [x, qkv, context, intermediate] + scores { p.deallocate() }
    }
}
