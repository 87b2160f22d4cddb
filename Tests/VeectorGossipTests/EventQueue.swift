/// A min-heap of scheduled events ordered by (time, insertion order): ties run in the order they
/// were scheduled, so the simulation is deterministic.
struct EventQueue<Payload> {
    private var heap: [(time: UInt64, seq: Int, payload: Payload)] = []
    private var counter = 0

    var isEmpty: Bool { heap.isEmpty }
    var nextTime: UInt64? { heap.first?.time }

    mutating func push(_ payload: Payload, at time: UInt64) {
        heap.append((time, counter, payload))
        counter += 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            heap.swapAt(i, parent); i = parent
        }
    }

    mutating func pop() -> (time: UInt64, payload: Payload)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && less(l, m) { m = l }
            if r < heap.count && less(r, m) { m = r }
            if m == i { break }
            heap.swapAt(i, m); i = m
        }
        return (top.time, top.payload)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].time != heap[b].time ? heap[a].time < heap[b].time : heap[a].seq < heap[b].seq
    }
}
