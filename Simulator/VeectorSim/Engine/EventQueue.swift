import VeectorWire

/// The simulator's future: events ordered by virtual time, ties broken by insertion order.
///
/// A binary min-heap keyed by `(time, sequence)`. The sequence number makes the order total, which is
/// what keeps a run deterministic when two events fall on the same nanosecond. The heap holds only
/// plain keys (time, sequence, slot); payloads wait in a slot table and are moved out when popped,
/// so sifting never copies, retains or releases a payload (they carry frames and cores' values).
public struct EventQueue<Payload> {
    private struct Key {
        let time: UInt64
        let sequence: UInt64
        let slot: Int
        @inline(__always) func precedes(_ other: Key) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Key] = []
    private var slots: [Payload?] = []
    private var freeSlots: [Int] = []
    private var nextSequence: UInt64 = 0

    /// An empty queue.
    public init() {}

    /// Number of pending events.
    public var count: Int { heap.count }
    /// True when nothing is pending.
    public var isEmpty: Bool { heap.isEmpty }
    /// Time of the earliest pending event.
    public var nextTime: Instant? { heap.first.map { Instant(nanoseconds: $0.time) } }

    /// Schedules `payload` at `time`.
    public mutating func schedule(_ payload: Payload, at time: Instant) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = payload
        } else {
            slot = slots.count
            slots.append(payload)
        }
        let key = Key(time: time.nanoseconds, sequence: nextSequence, slot: slot)
        nextSequence &+= 1
        heap.append(key)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard key.precedes(heap[parent]) else { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = key
    }

    /// Removes and returns the earliest event.
    public mutating func pop() -> (time: Instant, payload: Payload)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            // Sift the last key down from the root.
            var i = 0
            let n = heap.count
            while true {
                let l = 2 * i + 1
                guard l < n else { break }
                let r = l + 1
                let child = r < n && heap[r].precedes(heap[l]) ? r : l
                guard heap[child].precedes(last) else { break }
                heap[i] = heap[child]
                i = child
            }
            heap[i] = last
        }
        let payload = slots[top.slot].take()!
        freeSlots.append(top.slot)
        return (Instant(nanoseconds: top.time), payload)
    }
}
