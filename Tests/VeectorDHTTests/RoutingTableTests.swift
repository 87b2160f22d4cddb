import Testing
import VeectorWire
@testable import VeectorDHT

/// A contact with a random ID at a local (BEP 42-exempt) address.
private func contact(_ i: Int, rng: inout SeededRNG) -> NodeContact {
    NodeContact(id: NodeID.random(using: &rng),
                address: PeerAddress(ip: IPv4Address(10, UInt8(i >> 16 & 0xFF), UInt8(i >> 8 & 0xFF), UInt8(i & 0xFF)), port: 6881))
}

/// A contact whose ID lies in bucket `bucket` of `own`.
private func contact(inBucket bucket: Int, of own: NodeID, _ i: Int, rng: inout SeededRNG) -> NodeContact {
    NodeContact(id: own.randomID(inBucket: bucket, using: &rng),
                address: PeerAddress(ip: IPv4Address(10, 1, UInt8(i >> 8 & 0xFF), UInt8(i & 0xFF)), port: 7000))
}

private let minute = Duration.seconds(60)
private let loopback = RoutingTableConfiguration(enforceBEP42: false)

@Suite struct RoutingTableTests {
    @Test func neverMoreThanKPerBucketAndClosestMatchesBruteForce() throws {
        var rng = SeededRNG(seed: 1)
        let own = NodeID.random(using: &rng)
        var table = RoutingTable(ownID: own, configuration: loopback)
        var inserted: [NodeContact] = []
        for i in 0..<1_000 {
            let c = contact(i, rng: &rng)
            switch try table.insert(c, now: .zero) {
            case .added: inserted.append(c)
            case .cached: break
            default: Issue.record("unexpected outcome for a fresh node")
            }
        }
        for bucket in table.buckets {
            #expect(bucket.entries.count <= 8)
            #expect(bucket.replacements.count <= 8)
        }
        #expect(inserted.count > 50 && table.count == inserted.count)
        #expect(Set(table.allEntries.map(\.contact)) == Set(inserted))
        // closest() against a brute-force sort, for random targets and for our own ID.
        var mismatches = 0
        for target in (0..<100).map({ _ in NodeID.random(using: &rng) }) + [own] + inserted.prefix(20).map(\.id) {
            let bruteForce = inserted.map { ($0.id.distance(to: target), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
            for count in [1, 8, 20, 2_000] where table.closest(to: target, count: count, now: .zero) != Array(bruteForce.prefix(count)) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test func rejectsOwnIDBEP42MismatchAndAddressConflicts() throws {
        var rng = SeededRNG(seed: 2)
        let own = NodeID.random(using: &rng)
        var enforcing = RoutingTable(ownID: own)
        let here = PeerAddress(ip: IPv4Address(10, 0, 0, 1), port: 1)
        #expect(throws: RoutingTableError.ownID) { try enforcing.insert(NodeContact(id: own, address: here), now: .zero) }

        let publicIP = IPv4Address(124, 31, 75, 21)
        let wrong = NodeContact(id: NodeID.random(using: &rng), address: PeerAddress(ip: publicIP, port: 1))
        #expect(!wrong.id.isBEP42Valid(for: publicIP))
        #expect(throws: RoutingTableError.bep42Mismatch(wrong)) { try enforcing.insert(wrong, now: .zero) }
        let right = NodeContact(id: NodeID.randomBEP42(for: publicIP, using: &rng), address: PeerAddress(ip: publicIP, port: 1))
        #expect(try enforcing.insert(right, now: .zero) == .added)
        // Local addresses are exempt even when enforcing; and enforcement can be turned off.
        #expect(try enforcing.insert(contact(5, rng: &rng), now: .zero) == .added)
        var lax = RoutingTable(ownID: own, configuration: loopback)
        #expect(try lax.insert(wrong, now: .zero) == .added)

        let moved = NodeContact(id: right.id, address: PeerAddress(ip: publicIP, port: 2))
        #expect(throws: RoutingTableError.addressConflict(known: right, claimed: moved.address)) {
            try enforcing.insert(moved, now: .zero)
        }
        #expect(try enforcing.insert(right, now: .seconds(5)) == .refreshed)
        #expect(enforcing.entry(for: right.id)?.lastSeen == .seconds(5))
    }

    @Test func questionableAndBadTransitionsFollowInjectedTime() throws {
        var rng = SeededRNG(seed: 3)
        let own = NodeID.random(using: &rng)
        var table = RoutingTable(ownID: own, configuration: loopback)
        let c = contact(1, rng: &rng)
        try table.insert(c, now: .zero)
        #expect(table.state(of: c.id, now: .zero) == .good)
        #expect(table.state(of: c.id, now: Instant.zero.advanced(by: minute * 15 - .nanoseconds(1))) == .good)
        #expect(table.state(of: c.id, now: Instant.zero.advanced(by: minute * 15)) == .questionable)
        try table.insert(c, now: Instant.zero.advanced(by: minute * 20))
        #expect(table.state(of: c.id, now: Instant.zero.advanced(by: minute * 21)) == .good)
        #expect(table.recordFailure(of: c.id, now: .seconds(1_300)) == .counted(failures: 1))
        #expect(table.state(of: c.id, now: .seconds(1_300)) == .good)
        try table.insert(c, now: .seconds(1_301))  // a reply clears the failures
        #expect(table.recordFailure(of: c.id, now: .seconds(1_302)) == .counted(failures: 1))
        #expect(table.recordFailure(of: c.id, now: .seconds(1_303)) == .bad)
        #expect(table.state(of: c.id, now: .seconds(1_303)) == .bad)
        #expect(table.closest(to: c.id, count: 8, now: .seconds(1_303)).isEmpty)
        #expect(table.recordFailure(of: NodeID.random(using: &rng), now: .zero) == .unknown)
    }

    @Test func fullBucketCachesPingsQuestionableAndPromotesReplacements() throws {
        var rng = SeededRNG(seed: 4)
        let own = NodeID.random(using: &rng)
        var table = RoutingTable(ownID: own, configuration: loopback)
        let members = (0..<8).map { contact(inBucket: 0, of: own, $0, rng: &rng) }
        for (i, m) in members.enumerated() { try table.insert(m, now: .seconds(UInt64(i))) }
        // All good: newcomers wait in a bounded replacement cache, freshest kept.
        let newcomers = (8..<20).map { contact(inBucket: 0, of: own, $0, rng: &rng) }
        for n in newcomers { #expect(try table.insert(n, now: .seconds(10)) == .cached) }
        #expect(table.buckets[0].entries.count == 8)
        #expect(table.buckets[0].replacements.map(\.contact) == Array(newcomers.suffix(8)))

        // 15 minutes on, members 0 and 1 went silent, the others were heard from.
        let later = Instant.seconds(10).advanced(by: minute * 15)
        for m in members[2...] { try table.insert(m, now: later) }
        let another = contact(inBucket: 0, of: own, 99, rng: &rng)
        #expect(try table.insert(another, now: later) == .cachedPendingPings([members[0], members[1]]))
        #expect(table.buckets[0].replacements.last?.contact == another)

        // While those pings are out, more newcomers do not ask for them again.
        let third = contact(inBucket: 0, of: own, 100, rng: &rng)
        #expect(try table.insert(third, now: later) == .cached)
        // The driver pings: member 1 answers, member 0 fails; the next newcomer asks for member 0
        // again; it fails a second time and is replaced by the freshest candidate.
        #expect(try table.insert(members[1], now: later) == .refreshed)
        #expect(table.recordFailure(of: members[0].id, now: later) == .counted(failures: 1))
        #expect(try table.insert(another, now: later) == .cachedPendingPings([members[0]]))
        #expect(table.recordFailure(of: members[0].id, now: later) == .replaced(by: another))
        #expect(table.entry(for: members[0].id) == nil)
        #expect(table.state(of: another.id, now: later) == .good)
        #expect(table.buckets[0].entries.count == 8)

        // remove() also promotes; a bad node gives way to a newcomer at once.
        let promotedNext = table.buckets[0].replacements.last!.contact
        #expect(table.remove(members[2].id, now: later) == members[2])
        #expect(table.entry(for: promotedNext.id) != nil)
        _ = table.recordFailure(of: members[3].id, now: later)
        _ = table.recordFailure(of: members[3].id, now: later)  // replaced by the next cached one
        #expect(table.entry(for: members[3].id) == nil)
        var empty = RoutingTable(ownID: own, configuration: RoutingTableConfiguration(replacementCacheSize: 0, enforceBEP42: false))
        for m in members { try empty.insert(m, now: .zero) }
        #expect(empty.recordFailure(of: members[5].id, now: .zero) == .counted(failures: 1))
        #expect(empty.recordFailure(of: members[5].id, now: .zero) == .bad)
        #expect(try empty.insert(another, now: .zero) == .replacedBad(members[5]))
    }

    @Test func refreshTargetsLandInTheirBucketsAndOnlyWhenStale() throws {
        var rng = SeededRNG(seed: 5)
        let own = NodeID.random(using: &rng)
        var table = RoutingTable(ownID: own, configuration: loopback)
        for i in 0..<300 { try table.insert(contact(i, rng: &rng), now: .zero) }
        let deepest = table.buckets.lastIndex { !$0.entries.isEmpty }!
        // A new table's never-touched buckets are due at once; once consumed, nothing until 15 minutes pass.
        #expect(!table.refreshTargets(now: .zero, rng: &rng).isEmpty || (0...deepest).allSatisfy { !table.buckets[$0].entries.isEmpty })
        #expect(table.refreshTargets(now: .seconds(60), rng: &rng).isEmpty)

        // Touch bucket 0 later: after 15 minutes every other bucket up to the deepest is due.
        table.touchBucket(containing: own.randomID(inBucket: 0, using: &rng), now: .seconds(300))
        let due = table.refreshTargets(now: Instant.zero.advanced(by: minute * 15), rng: &rng)
        #expect(due.map(\.bucket) == Array(1...deepest))
        for r in due { #expect(own.bucketIndex(of: r.target) == r.bucket) }
        #expect(table.refreshTargets(now: Instant.zero.advanced(by: minute * 15), rng: &rng).isEmpty)
        let again = table.refreshTargets(now: Instant.seconds(300).advanced(by: minute * 15), rng: &rng)
        #expect(again.map(\.bucket) == [0])
        #expect(own.bucketIndex(of: again[0].target) == 0)
    }
}
