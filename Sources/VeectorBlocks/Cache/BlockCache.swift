import ContentID
import Foundation
import VeectorEngine

/// A model's weights served block by block from content-addressed bytes, under a memory budget.
///
/// A block is read lazily through the `BlockSource`, verified against its CID the first time (a
/// mismatch is `.corrupt` and the block is never used), parsed into a `WeightBlock` whose tensors point
/// into the bytes (no copy), and kept while the budget allows. To make room the cache evicts the block
/// needed furthest in the future, given that a forward pass uses blocks in a fixed cycle (embedding,
/// layers in order, head, token-table shards in order, then the next token): for a cyclic pass that is
/// the optimal choice, and it keeps a fixed part of the model resident where least-recently-used would
/// evict every block before its next use. A block whose `WeightBlock` is still held by a caller (or
/// borrowed by a held block) is never evicted. `prefetch(_:)` loads on one background worker thread. Hold the `WeightBlock` while using its
/// tensors: that is what marks it as in use.
public final class BlockCache: WeightSource, @unchecked Sendable {
    private let core: BlockCacheCore

    /// The model served.
    public var manifest: ModelManifest { core.manifest }
    /// The block chosen for each role.
    public var plan: BlockPlan { core.plan }
    /// The most bytes of blocks kept in memory.
    public var memoryBudget: Int { core.budget }
    /// The rows of each `.embeddingShard(n)` block (empty when the model's table is one `embedding` block).
    public let tokenTableShards: [Range<Int>]

    /// A cache for `manifest` reading through `source`. Throws `.budgetTooSmall` (with the least
    /// budget that would work) when the largest block, with the blocks it borrows from, does not fit.
    public init(source: any BlockSource, manifest: ModelManifest, profile: Profile = .auto,
                memoryBudget: Int) throws(WeightSourceError) {
        let plan = try BlockPlan(manifest: manifest, profile: profile, memoryBudget: memoryBudget)
        do { tokenTableShards = try manifest.shardRows() } catch {
            throw .unavailable(block: .embeddingShard(0), reason: error.description)
        }
        core = BlockCacheCore(source: source, manifest: manifest, plan: plan, budget: memoryBudget)
        let worker = Thread { [core] in core.runWorker() }
        worker.name = "veector.block-prefetch"
        worker.start()
    }

    deinit { core.stop() }

    /// The weights of `role`, loaded and verified if needed.
    public func block(_ role: BlockRole) throws(WeightSourceError) -> WeightBlock {
        try core.block(role, prefetching: false)
    }

    /// Starts loading `role` on the worker thread unless it is loaded, loading or queued.
    public func prefetch(_ role: BlockRole) { core.enqueue(role) }

    /// Counters so far.
    public var statistics: BlockCacheStatistics { core.snapshot() }

    /// Which block served each role so far, embedding first.
    public var provenance: [BlockProvenance] { core.servedBlocks() }

    /// Whether `role` is in memory now.
    public func isResident(_ role: BlockRole) -> Bool { core.isResident(role) }

    /// Waits until the worker has no queued or running prefetch (for callers that must know).
    public func waitForPrefetches() { core.waitIdle() }
}

/// The cache's state, shared with its worker thread (which keeps this, not the `BlockCache`, alive).
final class BlockCacheCore: @unchecked Sendable {
    /// A block in memory.
    final class Entry {
        let cid: CID
        let variant: Variant
        let size: Int
        var weights: WeightBlock
        /// Blocks this one borrows tensors from, held so they stay resident with it.
        let borrowed: [WeightBlock]
        init(cid: CID, variant: Variant, size: Int, weights: WeightBlock, borrowed: [WeightBlock]) {
            self.cid = cid
            self.variant = variant
            self.size = size
            self.weights = weights
            self.borrowed = borrowed
        }
    }

    let source: any BlockSource
    let manifest: ModelManifest
    let plan: BlockPlan
    let budget: Int
    /// Positions in one cycle of `cyclePosition` (an upper bound: every role has its own position below it).
    private let cycleLength: Int
    private let condition = NSCondition()
    private var entries: [String: Entry] = [:]
    private var loading: Set<String> = []
    private var queue: [BlockRole] = []
    private var workerBusy = false
    private var stopping = false
    private var verified: Set<CID> = []
    private var corrupt: [CID: WeightSourceError] = [:]
    private var served: [String: BlockProvenance] = [:]
    private var stats = BlockCacheStatistics()

    init(source: any BlockSource, manifest: ModelManifest, plan: BlockPlan, budget: Int) {
        self.source = source
        self.manifest = manifest
        self.plan = plan
        self.budget = budget
        cycleLength = manifest.layerCount + 2 + manifest.blocks.count
    }

    func block(_ role: BlockRole, prefetching: Bool) throws(WeightSourceError) -> WeightBlock {
        let name = BlockRoleName.name(role)
        guard let choice = plan.choices[name] else { throw .unavailable(block: role, reason: "the model has no \(name) block") }
        condition.lock()
        while true {
            if let error = corrupt[choice.cid] {
                condition.unlock()
                throw error
            }
            if let e = entries[name] {
                if !prefetching { stats.hits += 1 }
                let w = e.weights
                condition.unlock()
                return w
            }
            if !loading.contains(name) { break }
            condition.wait()
        }
        loading.insert(name)
        condition.unlock()

        let result: Result<Entry, WeightSourceError>
        do throws(WeightSourceError) { result = .success(try load(role, choice, prefetching: prefetching)) } catch { result = .failure(error) }

        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        loading.remove(name)
        switch result {
        case let .failure(error):
            if case .corrupt = error { corrupt[choice.cid] = error }
            throw error
        case let .success(entry):
            makeRoom(for: entry.size, loading: role)
            entries[name] = entry
            stats.loads += 1
            if prefetching { stats.prefetchLoads += 1 }
            stats.bytesLoaded += entry.size
            stats.bytesResident += entry.size
            stats.peakBytesResident = max(stats.peakBytesResident, stats.bytesResident)
            served[name] = BlockProvenance(role: name, cid: entry.cid, variant: entry.variant, bytes: entry.size)
            return entry.weights
        }
    }

    /// Reads, verifies and parses one block (outside the lock), with the blocks it borrows from.
    private func load(_ role: BlockRole, _ choice: VariantEntry, prefetching: Bool) throws(WeightSourceError) -> Entry {
        let name = BlockRoleName.name(role)
        var borrowed: [String: WeightBlock] = [:]
        for need in plan.needs[name] ?? [] {
            guard let r = BlockRoleName.role(need), need != name else { continue }
            borrowed[need] = try block(r, prefetching: prefetching)
        }
        let lent: BlockBytes
        do { lent = try source.blockBytes(choice.cid) } catch { throw .unavailable(block: role, reason: error.description) }
        let cidString = choice.cid.description
        condition.lock()
        let known = verified.contains(choice.cid)
        condition.unlock()
        if !known {
            let start = DispatchTime.now().uptimeNanoseconds
            let actual = CID.sha256(of: lent.bytes)
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            condition.lock()
            stats.verifyNanoseconds += elapsed
            if actual == choice.cid { verified.insert(choice.cid) }
            condition.unlock()
            guard actual == choice.cid else {
                throw .corrupt(block: role, contentID: cidString, reason: "its bytes hash to \(actual)")
            }
        }
        let parsed: ParsedBlock
        do { parsed = try ParsedBlock(bytes: lent.bytes) } catch { throw .corrupt(block: role, contentID: cidString, reason: error.description) }
        guard parsed.role == role, parsed.manifest.arch == manifest.arch else {
            throw .corrupt(block: role, contentID: cidString,
                           reason: "it is the \(parsed.manifest.arch) \(parsed.manifest.role) block, not \(manifest.arch) \(name)")
        }
        guard parsed.manifest.rows == manifest.entry(role)?.rows else {
            throw .corrupt(block: role, contentID: cidString,
                           reason: "it holds rows \(parsed.manifest.rows.map { "\($0)" } ?? "none"), the model manifest says \(manifest.entry(role)?.rows.map { "\($0)" } ?? "none")")
        }
        var tensors = parsed.tensors(owner: lent)
        for need in parsed.manifest.needs {
            guard let lender = borrowed[need.role] else {
                throw .unavailable(block: role, reason: "it borrows from \(need.role), which the model manifest does not list")
            }
            tensors[need.as] = try lender.tensor(need.tensor)
        }
        return Entry(cid: choice.cid, variant: parsed.manifest.variant, size: lent.bytes.count,
                     weights: WeightBlock(role: role, tensors: tensors), borrowed: Array(borrowed.values))
    }

    /// Evicts unheld blocks, the one needed furthest after `role` first, until `size` more bytes fit (lock held).
    private func makeRoom(for size: Int, loading role: BlockRole) {
        let now = cyclePosition(role)
        while stats.bytesResident + size > budget {
            var victim: (name: String, distance: Int)?
            for (name, e) in entries where isKnownUniquelyReferenced(&e.weights) {
                let distance = (cyclePosition(e.weights.role) - now + cycleLength) % cycleLength
                if victim == nil || distance > victim!.distance { victim = (name, distance) }
            }
            guard let victim, let e = entries.removeValue(forKey: victim.name) else {
                stats.overBudgetLoads += 1
                return
            }
            stats.evictions += 1
            stats.bytesResident -= e.size
        }
    }

    /// The roles of one forward pass in the order it uses them: layers 0…, the head, the token-table shards
    /// (a tied head's logits), then the embedding (or its shard) of the next token.
    private func cyclePosition(_ role: BlockRole) -> Int {
        let layers = manifest.layerCount
        switch role {
        case let .layer(n): return min(n, layers)
        case .head: return layers
        case let .embeddingShard(n): return layers + 1 + min(n, manifest.blocks.count)
        case .embedding: return cycleLength - 1
        }
    }

    func enqueue(_ role: BlockRole) {
        let name = BlockRoleName.name(role)
        condition.lock()
        defer { condition.unlock() }
        guard !stopping, plan.choices[name] != nil, entries[name] == nil, !loading.contains(name), !queue.contains(role) else { return }
        queue.append(role)
        condition.broadcast()
    }

    /// The worker thread's loop: takes queued roles one at a time until stopped.
    func runWorker() {
        condition.lock()
        while true {
            while queue.isEmpty && !stopping { condition.wait() }
            if stopping { break }
            let role = queue.removeFirst()
            workerBusy = true
            condition.unlock()
            // A failure is not reported here: the later `block(_:)` call surfaces it (corrupt blocks are remembered).
            _ = try? block(role, prefetching: true)
            condition.lock()
            workerBusy = false
            condition.broadcast()
        }
        condition.unlock()
    }

    func waitIdle() {
        condition.lock()
        while !queue.isEmpty || workerBusy { condition.wait() }
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopping = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    func snapshot() -> BlockCacheStatistics {
        condition.lock()
        defer { condition.unlock() }
        return stats
    }

    func isResident(_ role: BlockRole) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return entries[BlockRoleName.name(role)] != nil
    }

    func servedBlocks() -> [BlockProvenance] {
        condition.lock()
        defer { condition.unlock() }
        return served.values.sorted { BlockRoleName.order(BlockRoleName.role($0.role)!) < BlockRoleName.order(BlockRoleName.role($1.role)!) }
    }
}
