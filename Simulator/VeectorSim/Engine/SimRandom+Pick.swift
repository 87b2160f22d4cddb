extension SimRandom {
    /// `count` distinct elements of `candidates` (all of them if fewer), in the order drawn: a partial
    /// Fisher–Yates shuffle, one draw per element chosen. Every simulation picks peers this way, so
    /// a scenario's choices depend only on the seed.
    mutating func pick(_ count: Int, from candidates: [Int]) -> [Int] {
        var pool = candidates
        let n = min(count, pool.count)
        for k in 0..<n {
            let j = k + Int(next() % UInt64(pool.count - k))
            pool.swapAt(k, j)
        }
        return Array(pool.prefix(n))
    }
}
