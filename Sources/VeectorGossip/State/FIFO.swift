/// A first-in first-out queue on an array with a moving head (amortised O(1) push and pop).
struct FIFO<Element: Sendable>: Sendable {
    private var items: [Element] = []
    private var head = 0

    var count: Int { items.count - head }
    var isEmpty: Bool { head == items.count }
    var first: Element? { isEmpty ? nil : items[head] }

    mutating func append(_ e: Element) { items.append(e) }

    mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        let e = items[head]
        head += 1
        if head >= 64 && head * 2 >= items.count { items.removeFirst(head); head = 0 }
        return e
    }

    /// The elements from oldest to newest.
    var elements: ArraySlice<Element> { items[head...] }
}
