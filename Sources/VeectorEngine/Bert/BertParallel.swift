import Dispatch

/// Splits a forward pass across threads: a batch into contiguous groups of sequences of equal cost (one
/// per thread), or, when the batch cannot be split so, the non-BLAS work (GELU, LayerNorm, attention)
/// with `DispatchQueue.concurrentPerform`; with one thread everything runs inline.
enum BertParallel {
    /// Calls `body` on contiguous chunks of `0..<count`, one chunk per thread (inline when `threads` is 1
    /// or the work is too small to be worth splitting).
    static func rows(_ count: Int, threads: Int, minimumPerThread: Int = 8, _ body: @Sendable (Range<Int>) -> Void) {
        let workers = min(threads, max(1, count / max(1, minimumPerThread)))
        if workers <= 1 {
            body(0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            body((count * w / workers)..<(count * (w + 1) / workers))
        }
    }

    /// Assigns items with the given costs to `workers` lists, largest first, each to the least loaded
    /// worker (longest-processing-time scheduling), so a long sequence does not leave a thread idle.
    static func balance(costs: [Int], workers: Int) -> [[Int]] {
        var lists = [[Int]](repeating: [], count: max(1, workers))
        var loads = [Int](repeating: 0, count: lists.count)
        for item in costs.indices.sorted(by: { costs[$0] > costs[$1] }) {
            let w = loads.indices.min { loads[$0] < loads[$1] }!
            lists[w].append(item)
            loads[w] += costs[item]
        }
        return lists
    }

    /// Cuts `0..<costs.count` into `workers` contiguous ranges of about equal total cost, or nil when that
    /// is impossible or lopsided (fewer items than workers, or a range above `tolerance` × the even share):
    /// the caller then shares each product across threads instead.
    static func contiguousGroups(costs: [Int], workers: Int, tolerance: Double = 1.15) -> [Range<Int>]? {
        guard workers > 1, costs.count >= workers else { return nil }
        var prefix = [0]
        for cost in costs { prefix.append(prefix[prefix.count - 1] + cost) }
        let total = prefix[costs.count]
        var bounds = [0]
        for k in 1..<workers {
            // the boundary whose prefix cost is nearest k/workers of the total, leaving an item per later group
            let target = Double(total) * Double(k) / Double(workers)
            let lowest = bounds[bounds.count - 1] + 1, highest = costs.count - (workers - k)
            var j = lowest
            while j < highest, Double(prefix[j]) < target { j += 1 }
            if j > lowest, abs(Double(prefix[j - 1]) - target) < abs(Double(prefix[j]) - target) { j -= 1 }
            bounds.append(j)
        }
        bounds.append(costs.count)
        let groups = (0..<workers).map { bounds[$0]..<bounds[$0 + 1] }
        let largest = groups.map { costs[$0].reduce(0, +) }.max() ?? 0
        guard groups.count == workers, groups.allSatisfy({ !$0.isEmpty }),
              Double(largest) <= tolerance * Double(total) / Double(workers) else { return nil }
        return groups
    }
}
