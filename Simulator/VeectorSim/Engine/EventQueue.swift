import VeectorWire

/// The simulator's future: events ordered by virtual time, ties broken by insertion order.
///
/// A binary min-heap keyed by `(time, sequence)`. The sequence number makes the order total, which is
/// what keeps a run deterministic when two events fall on the same nanosecond.
public struct EventQueue<Payload> {
    private struct Entry {
        let time: Instant
        let sequence: UInt64
        let payload: Payload
        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    /// An empty queue.
    public init() {}

    /// Number of pending events.
    public var count: Int { heap.count }
    /// True when nothing is pending.
    public var isEmpty: Bool { heap.isEmpty }
    /// Time of the earliest pending event.
    public var nextTime: Instant? { heap.first?.time }

    /// Schedules `payload` at `time`.
    public mutating func schedule(_ payload: Payload, at time: Instant) {
        heap.append(Entry(time: time, sequence: nextSequence, payload: payload))
        nextSequence &+= 1
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].precedes(heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the earliest event.
    public mutating func pop() -> (time: Instant, payload: Payload)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count, heap[l].precedes(heap[smallest]) { smallest = l }
            if r < heap.count, heap[r].precedes(heap[smallest]) { smallest = r }
            if smallest == i { break }
            heap.swapAt(i, smallest)
            i = smallest
        }
        return (top.time, top.payload)
    }
}
