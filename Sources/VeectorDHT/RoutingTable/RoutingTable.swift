import VeectorWire

/// A Kademlia routing table (BEP 5) around our own ID: 160 k-buckets indexed by the common prefix
/// length with our ID (a flat array; see Spec/dht.md for why), each with last-seen times and a
/// replacement cache. Pure state: it never does I/O; when it wants a node pinged it says so in
/// its return value, and time comes in as an `Instant`.
public struct RoutingTable: Sendable {
    /// Our own node ID; every bucket is relative to it.
    public let ownID: NodeID
    /// The rules in force.
    public let configuration: RoutingTableConfiguration
    /// The 160 buckets; bucket i holds IDs sharing exactly i leading bits with `ownID`.
    public private(set) var buckets: [KBucket]

    /// An empty table for `ownID`.
    public init(ownID: NodeID, configuration: RoutingTableConfiguration = RoutingTableConfiguration()) {
        self.ownID = ownID
        self.configuration = configuration
        buckets = Array(repeating: KBucket(), count: NodeID.bitCount)
    }

    /// Number of nodes in buckets (replacement caches excluded).
    public var count: Int { buckets.reduce(0) { $0 + $1.entries.count } }

    /// Every node in a bucket, bucket by bucket.
    public var allEntries: [RoutingEntry] { buckets.flatMap(\.entries) }

    /// The entry for `id` if it sits in a bucket.
    public func entry(for id: NodeID) -> RoutingEntry? {
        guard let b = ownID.bucketIndex(of: id) else { return nil }
        return buckets[b].entries.first { $0.contact.id == id }
    }

    /// The state of node `id` at `now`; nil if it is not in a bucket.
    public func state(of id: NodeID, now: Instant) -> NodeState? {
        entry(for: id)?.state(at: now, configuration: configuration)
    }

    /// Records that we heard from `contact` at `now` (a reply to our query, or a query from it)
    /// and applies BEP 5's insertion rules. Throws, without changing the table, for our own ID, a
    /// BEP 42 mismatch (when enforced), an ID already known at another address, or (with
    /// `oneNodePerAddress`) an address already held by another live node.
    @discardableResult
    public mutating func insert(_ contact: NodeContact, now: Instant) throws(RoutingTableError) -> InsertOutcome {
        guard let b = ownID.bucketIndex(of: contact.id) else { throw .ownID }
        if configuration.enforceBEP42 && !contact.id.isBEP42Valid(for: contact.address.ip) {
            throw .bep42Mismatch(contact)
        }
        if configuration.oneNodePerAddress && !buckets[b].entries.contains(where: { $0.contact.id == contact.id }) {
            try claimAddress(contact, now: now)
        }
        var bucket = buckets[b]
        defer { buckets[b] = bucket }

        if let i = bucket.entries.firstIndex(where: { $0.contact.id == contact.id }) {
            guard bucket.entries[i].contact.address == contact.address else {
                throw .addressConflict(known: bucket.entries[i].contact, claimed: contact.address)
            }
            bucket.entries[i].lastSeen = now
            bucket.entries[i].failures = 0
            bucket.entries[i].pingRequested = nil
            bucket.lastChanged = now
            return .refreshed
        }
        bucket.replacements.removeAll { $0.contact.id == contact.id }
        let fresh = RoutingEntry(contact: contact, lastSeen: now)
        if bucket.entries.count < configuration.bucketSize {
            bucket.entries.append(fresh)
            bucket.lastChanged = now
            return .added
        }
        // Full: a bad node gives way at once (the one with most failures, then least recently seen).
        let states = bucket.entries.map { $0.state(at: now, configuration: configuration) }
        let bad = bucket.entries.indices.filter { states[$0] == .bad }
        if let victim = bad.min(by: { worse(bucket.entries[$0], than: bucket.entries[$1]) }) {
            let old = bucket.entries[victim].contact
            bucket.entries[victim] = fresh
            bucket.lastChanged = now
            return .replacedBad(old)
        }
        Self.cache(fresh, in: &bucket, limit: configuration.replacementCacheSize)
        // Questionable nodes not already being pinged, least recently seen first.
        let toPing = bucket.entries.indices.filter { i in
            guard states[i] == .questionable else { return false }
            guard let asked = bucket.entries[i].pingRequested else { return true }
            return now.duration(since: asked) >= configuration.pingRetryAfter
        }.sorted { a, b in
            let x = bucket.entries[a], y = bucket.entries[b]
            return x.lastSeen != y.lastSeen ? x.lastSeen < y.lastSeen : x.contact.id < y.contact.id
        }
        for i in toPing { bucket.entries[i].pingRequested = now }
        return toPing.isEmpty ? .cached : .cachedPendingPings(toPing.map { bucket.entries[$0].contact })
    }

    /// Records that a query to `id` went unanswered (timeout or error) at `now`. After
    /// `maxFailures` in a row the node is bad and the freshest replacement, if any, takes its slot.
    @discardableResult
    public mutating func recordFailure(of id: NodeID, now: Instant) -> FailureOutcome {
        guard let b = ownID.bucketIndex(of: id) else { return .unknown }
        if let r = buckets[b].replacements.firstIndex(where: { $0.contact.id == id }) {
            buckets[b].replacements[r].failures += 1
            let failures = buckets[b].replacements[r].failures
            if failures >= configuration.maxFailures { buckets[b].replacements.remove(at: r) }
            return .counted(failures: failures)
        }
        guard let i = buckets[b].entries.firstIndex(where: { $0.contact.id == id }) else { return .unknown }
        buckets[b].entries[i].failures += 1
        buckets[b].entries[i].pingRequested = nil
        let failures = buckets[b].entries[i].failures
        guard failures >= configuration.maxFailures else { return .counted(failures: failures) }
        guard let promoted = promoteReplacement(inBucket: b, slot: i, now: now) else { return .bad }
        return .replaced(by: promoted)
    }

    /// Removes `id` from the table (bucket or replacement cache); a freed bucket slot goes to the
    /// freshest replacement. Returns the removed contact, nil if it was unknown.
    @discardableResult
    public mutating func remove(_ id: NodeID, now: Instant) -> NodeContact? {
        guard let b = ownID.bucketIndex(of: id) else { return nil }
        if let r = buckets[b].replacements.firstIndex(where: { $0.contact.id == id }) {
            return buckets[b].replacements.remove(at: r).contact
        }
        guard let i = buckets[b].entries.firstIndex(where: { $0.contact.id == id }) else { return nil }
        let old = buckets[b].entries[i].contact
        if promoteReplacement(inBucket: b, slot: i, now: now) == nil {
            buckets[b].entries.remove(at: i)
            buckets[b].lastChanged = now
        }
        return old
    }

    /// Up to `count` non-bad nodes closest to `target` by XOR distance, nearest first (ties by ID).
    /// Walks buckets in distance order instead of sorting the whole table.
    public func closest(to target: NodeID, count: Int, now: Instant) -> [NodeContact] {
        guard count > 0 else { return [] }
        var out: [NodeContact] = []
        out.reserveCapacity(count)
        func take(_ group: [RoutingEntry]) {
            let live = group.filter { $0.state(at: now, configuration: configuration) != .bad }.map(\.contact)
            let sorted = live.sorted { $0.id.isCloser(to: target, than: $1.id) }
            out.append(contentsOf: sorted.prefix(count - out.count))
        }
        let t = ownID.commonPrefixLength(with: target)
        if t == NodeID.bitCount {
            // Target is our ID: bucket i is at distance with first set bit i, nearest = deepest.
            for i in stride(from: NodeID.bitCount - 1, through: 0, by: -1) where out.count < count { take(buckets[i].entries) }
            return out
        }
        // Bucket t: first differing bit from target is beyond t. Buckets deeper than t: exactly at t.
        // Buckets shallower than i < t: at i, so nearer for larger i.
        take(buckets[t].entries)
        if out.count < count { take(buckets[(t + 1)...].flatMap(\.entries)) }
        for i in stride(from: t - 1, through: 0, by: -1) where out.count < count { take(buckets[i].entries) }
        return out
    }

    /// Buckets untouched for `questionableAfter`, each with a random target ID inside it drawn from
    /// `rng`, and marks them touched at `now` (the caller runs one `find_node` lookup per target).
    /// Only buckets up to the deepest non-empty one are considered: deeper buckets of a flat table
    /// stay empty in any network of realistic size and refreshing them would only find the same nodes.
    public mutating func refreshTargets(now: Instant, rng: inout some RandomNumberGenerator) -> [BucketRefresh] {
        let deepest = buckets.lastIndex { !$0.entries.isEmpty } ?? 0
        var out: [BucketRefresh] = []
        for i in 0...deepest {
            let stale = buckets[i].lastChanged.map { now.duration(since: $0) >= configuration.questionableAfter } ?? true
            guard stale else { continue }
            out.append(BucketRefresh(bucket: i, target: ownID.randomID(inBucket: i, using: &rng)))
            buckets[i].lastChanged = now
        }
        return out
    }

    /// Marks the bucket `target` falls in as touched at `now` (after a lookup toward it).
    public mutating func touchBucket(containing target: NodeID, now: Instant) {
        guard let b = ownID.bucketIndex(of: target) else { return }
        buckets[b].lastChanged = now
    }

    /// Makes `contact.address` free for `contact.id`: another ID there in a bucket that is not bad
    /// refuses the newcomer (one endpoint cannot fill the table with made-up IDs); a bad one is
    /// removed, and other IDs at that address in replacement caches are forgotten.
    private mutating func claimAddress(_ contact: NodeContact, now: Instant) throws(RoutingTableError) {
        for i in buckets.indices {
            if let j = buckets[i].entries.firstIndex(where: { $0.contact.address == contact.address && $0.contact.id != contact.id }) {
                let holder = buckets[i].entries[j]
                guard holder.state(at: now, configuration: configuration) == .bad else {
                    throw .addressInUse(known: holder.contact, claimedBy: contact.id)
                }
                remove(holder.contact.id, now: now)
            }
            if buckets[i].replacements.contains(where: { $0.contact.address == contact.address && $0.contact.id != contact.id }) {
                buckets[i].replacements.removeAll { $0.contact.address == contact.address && $0.contact.id != contact.id }
            }
        }
    }

    /// Moves the freshest usable replacement of bucket `b` into `slot`; nil if none.
    private mutating func promoteReplacement(inBucket b: Int, slot: Int, now: Instant) -> NodeContact? {
        guard let r = buckets[b].replacements.lastIndex(where: { $0.failures == 0 }) else { return nil }
        let promoted = buckets[b].replacements.remove(at: r)
        buckets[b].entries[slot] = promoted
        buckets[b].lastChanged = now
        return promoted.contact
    }

    /// Adds or renews `entry` in the replacement cache, dropping the oldest if over `limit`.
    private static func cache(_ entry: RoutingEntry, in bucket: inout KBucket, limit: Int) {
        guard limit > 0 else { return }
        bucket.replacements.removeAll { $0.contact.id == entry.contact.id }
        bucket.replacements.append(entry)
        if bucket.replacements.count > limit { bucket.replacements.removeFirst(bucket.replacements.count - limit) }
    }

    /// True if `a` should be evicted before `b`: more failures, then seen longer ago.
    private func worse(_ a: RoutingEntry, than b: RoutingEntry) -> Bool {
        a.failures != b.failures ? a.failures > b.failures : a.lastSeen < b.lastSeen
    }
}
