/// Activation buffers kept between the forward passes of one embedding call, so a pass reuses the
/// previous pass's memory instead of mapping and zero-filling fresh pages (page faults were ≈ 2 % of
/// the time of a pass). Not thread-safe: one call owns one workspace; the memory goes with it.
final class BertWorkspace {
    private var spare: [ForwardBuffers] = []

    /// Buffers for a pass of this shape: a kept set that is large enough, else a new one (sizes rounded up
    /// to 128 tokens and 64 positions, so passes of nearly the same size share it), after freeing the kept
    /// sets, which are too small: the workspace never holds more than one pass's worth beyond those in use.
    func buffers(tokens: Int, hidden: Int, intermediate: Int, longest: Int, threads: Int) -> ForwardBuffers {
        if let i = spare.firstIndex(where: {
            $0.fits(tokens: tokens, hidden: hidden, intermediate: intermediate, longest: longest, threads: threads)
        }) {
            return spare.remove(at: i).reused(tokens: tokens)
        }
        for buffers in spare { buffers.release() }
        spare.removeAll()
        let made = ForwardBuffers(tokens: (tokens + 127) / 128 * 128, hidden: hidden, intermediate: intermediate,
                                  longest: (longest + 63) / 64 * 64, threads: threads)
        return made.reused(tokens: tokens)
    }

    /// Hands buffers back for a later pass of the same call.
    func keep(_ buffers: ForwardBuffers) { spare.append(buffers) }

    deinit {
        for buffers in spare { buffers.release() }
    }
}
