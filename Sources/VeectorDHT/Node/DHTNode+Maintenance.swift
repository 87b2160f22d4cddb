import VeectorWire

extension DHTNode {
    /// A timer fired; early or stale firings are ignored.
    mutating func fire(_ timer: DHTTimer, now: Instant, rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        switch timer {
        case let .queryTimeout(transactionID):
            queryTimedOut(transactionID, now: now, rng: &rng, into: &out)
        case .maintenance:
            guard let due = nextMaintenance, now >= due else { return }
            armMaintenance(now: now, into: &out)
            maintain(now: now, rng: &rng, into: &out)
        case .republish:
            guard let due = nextRepublish, now >= due else { return }
            armRepublish(now: now, into: &out)
            republishDue(now: now, rng: &rng, into: &out)
        }
    }

    /// Sets the next `maintenance` timer.
    mutating func armMaintenance(now: Instant, into out: inout [DHTAction]) {
        let at = now.advanced(by: configuration.maintenanceInterval)
        nextMaintenance = at
        out.append(.setTimer(.maintenance, at: at))
    }

    /// Sets the next `republish` check, a third of the shorter republish interval away, so a
    /// record is republished at most a third of its interval late.
    mutating func armRepublish(now: Instant, into out: inout [DHTAction]) {
        let shorter = min(configuration.announceRepublishInterval, configuration.itemRepublishInterval)
        let at = now.advanced(by: shorter / 3)
        nextRepublish = at
        out.append(.setTimer(.republish, at: at))
    }

    /// Token rotation, store expiry, rate-limiter trimming and refresh lookups for stale buckets.
    private mutating func maintain(now: Instant, rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        tokens.rotateIfDue(now: now, rng: &rng)
        peerStore.removeExpired(now: now)
        itemStore.removeExpired(now: now)
        limiter.trim(now: now)
        guard routingTable.count > 0 else { return }
        for refresh in routingTable.refreshTargets(now: now, rng: &rng) where operations.count < configuration.maxOperations / 2 {
            startLookup(.refresh, .findNode, target: refresh.target, command: nil, now: now, rng: &rng, into: &out)
        }
    }

    /// Republishes every owned record whose interval has passed (while operations are available).
    private mutating func republishDue(now: Instant, rng: inout some RandomNumberGenerator, into out: inout [DHTAction]) {
        guard routingTable.count > 0 else { return }
        for i in owned.indices where operations.count < configuration.maxOperations / 2 {
            let interval: Duration
            if case .announce = owned[i].record { interval = configuration.announceRepublishInterval } else {
                interval = configuration.itemRepublishInterval
            }
            if let last = owned[i].lastPublished, now.duration(since: last) < interval { continue }
            owned[i].lastPublished = now
            startStore(owned[i].record, command: nil, now: now, rng: &rng, into: &out)
        }
    }
}
