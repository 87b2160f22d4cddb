/// Partial selection of the highest logits: a size-k min-heap over one pass of the vocabulary,
/// O(n log k) instead of a full O(n log n) sort. Ties go to the lower token ID.
enum TopKSelection {
    /// Whether candidate `a` ranks above `b`: higher logit, or the same logit and a lower ID.
    @inline(__always)
    static func ranksAbove(_ a: (token: Int, logit: Float), _ b: (token: Int, logit: Float)) -> Bool {
        a.logit > b.logit || (a.logit == b.logit && a.token < b.token)
    }

    /// The `k` best-ranked entries of `logits` (1 ≤ k ≤ count), best first.
    static func select(_ logits: [Float], k: Int) -> [(token: Int, logit: Float)] {
        precondition(k >= 1 && k <= logits.count)
        // heap[0] is the worst-ranked of the kept entries.
        var heap: [(token: Int, logit: Float)] = []
        heap.reserveCapacity(k)
        func siftUp(_ start: Int) {
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard ranksAbove(heap[parent], heap[child]) else { return }
                heap.swapAt(parent, child)
                child = parent
            }
        }
        func siftDown() {
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var worst = left
                let right = left + 1
                if right < heap.count, ranksAbove(heap[left], heap[right]) { worst = right }
                guard ranksAbove(heap[parent], heap[worst]) else { return }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
        logits.withUnsafeBufferPointer { values in
            for index in 0..<values.count {
                let candidate = (token: index, logit: values[index])
                if heap.count < k {
                    heap.append(candidate)
                    siftUp(heap.count - 1)
                } else if ranksAbove(candidate, heap[0]) {
                    heap[0] = candidate
                    siftDown()
                }
            }
        }
        heap.sort(by: ranksAbove)
        return heap
    }
}
