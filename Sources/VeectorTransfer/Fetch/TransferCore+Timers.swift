import ContentID
import VeectorWire

extension TransferCore {
    /// Handles every deadline that is due: connects and manifests that never came, `busy`
    /// back-offs that ended, and requests that timed out (moved to other providers).
    mutating func expire(now: Instant, into out: inout [TransferAction]) {
        if wakeAt.map({ $0 <= now }) ?? false { wakeAt = nil }
        guard phase == .running else { return }
        for peer in peers.keys.sorted() {
            switch peers[peer]!.phase {
            case let .connecting(deadline) where deadline <= now:
                drop(peer, .unreachable, now: now, into: &out)
            case let .awaitingManifest(sent, deadline, resend):
                if deadline <= now {
                    drop(peer, .timedOut, now: now, into: &out)
                } else if resend, peers[peer]!.busyUntil <= now {
                    peers[peer]!.phase = .awaitingManifest(sent: now, deadline: now.advanced(by: configuration.manifestTimeout), resend: false)
                    _ = sent
                    send(.manifestRequest(request.content), to: peer, into: &out)
                }
            case .ready:
                let due = peers[peer]!.deadlines.filter { $0.value <= now }.keys.sorted()
                for index in due { timeOut(index, peer: peer, now: now, into: &out) }
            default:
                break
            }
        }
    }

    /// Request `index` to `peer` took too long: it goes to someone else, the peer's estimate is
    /// halved, and after `maxConsecutiveTimeouts` in a row the peer is dropped. A late answer is
    /// still accepted if the chunk is still missing.
    mutating func timeOut(_ index: Int, peer: TransferPeer, now: Instant, into out: inout [TransferAction]) {
        counters.timeouts += 1
        peers[peer]!.inflight[index] = nil
        peers[peer]!.deadlines[index] = nil
        unassign(index, from: peer)
        excluded[index, default: []].insert(peer)
        peers[peer]!.throughput /= 2
        peers[peer]!.consecutiveTimeouts += 1
        if peers[peer]!.consecutiveTimeouts >= configuration.maxConsecutiveTimeouts {
            drop(peer, .timedOut, now: now, into: &out)
        }
    }

    /// Sets the wake-up timer to the earliest deadline if it is not already set at or before it.
    mutating func arm(now: Instant, into out: inout [TransferAction]) {
        var next: Instant?
        func consider(_ t: Instant) { if next.map({ t < $0 }) ?? true { next = t } }
        if let d = patienceDeadline, d > now { consider(d) }  // a passed one is checked when the last provider goes
        if let asked = lastProviderRequest, asked.advanced(by: configuration.providerRefresh) > now {
            consider(asked.advanced(by: configuration.providerRefresh))
        }
        let wantsChunks = manifest != nil && heldCount < held.count
        for p in peers.values {
            switch p.phase {
            case let .candidate(notBefore) where notBefore > now: consider(notBefore)
            case let .connecting(deadline): consider(deadline)
            case let .awaitingManifest(_, deadline, resend):
                consider(deadline)
                if resend { consider(max(p.busyUntil, now)) }
            case .ready:
                for d in p.deadlines.values { consider(d) }
                if wantsChunks, p.busyUntil > now { consider(p.busyUntil) }
            default: break
            }
        }
        guard let at = next else { return }
        if let armed = wakeAt, armed > now, armed <= at { return }
        wakeAt = at
        out.append(.setTimer(.wake, at: at))
    }
}
