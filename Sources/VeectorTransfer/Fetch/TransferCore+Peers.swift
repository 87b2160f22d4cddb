import ContentID
import VeectorWire

extension TransferCore {
    /// New providers become candidates (up to `maxKnownPeers`). A known one dropped for a reason
    /// that may pass (unreachable, timed out, session lost) becomes a candidate again, since it was
    /// announced anew — not before a back-off that doubles with each such revival (from
    /// `reconnectDelay` up to `providerRefresh`; a verified chunk resets it). Banned ones stay banned.
    mutating func add(_ list: [TransferPeer], now: Instant) {
        for peer in list {
            guard case let .dropped(reason)? = peers[peer]?.phase else { continue }
            guard reason == .unreachable || reason == .timedOut || reason == .linkLost else { continue }
            let p = peers[peer]!
            peers[peer]!.phase = .candidate(notBefore: max(now, p.droppedAt.advanced(by: backoff(p.revivals))))
            peers[peer]!.revivals += 1
            peers[peer]!.reconnects = 0
            peers[peer]!.consecutiveTimeouts = 0
            peers[peer]!.manifestID = nil
            peers[peer]!.lacks = []
            peers[peer]!.ranges = nil
        }
        for peer in list where peers[peer] == nil && peers.count < configuration.maxKnownPeers {
            peers[peer] = FetchPeer(phase: .candidate(notBefore: .zero), throughput: configuration.initialThroughput,
                                    latency: configuration.initialLatency.seconds, order: nextOrder)
            nextOrder += 1
        }
    }

    /// The wait before the attempt after `failures` failed ones: `reconnectDelay` doubled each
    /// time, at most `providerRefresh`.
    func backoff(_ failures: Int) -> Duration {
        let cap = max(configuration.reconnectDelay, configuration.providerRefresh)
        var wait = configuration.reconnectDelay
        for _ in 0..<min(failures, 16) where wait < cap { wait = wait * 2 }
        return min(wait, cap)
    }

    /// Connects candidates, in the order they were added, up to `maxConnectedPeers`.
    mutating func connectMore(now: Instant, into out: inout [TransferAction]) {
        // Plain loops: this runs after every event, over every known provider.
        var connected = 0
        for p in peers.values where p.isConnected { connected += 1 }
        guard connected < configuration.maxConnectedPeers else { return }
        var waiting: [(order: Int, peer: TransferPeer)] = []
        for (peer, p) in peers {
            if case let .candidate(notBefore) = p.phase, notBefore <= now { waiting.append((p.order, peer)) }
        }
        waiting.sort { $0.order < $1.order }
        for (_, peer) in waiting where connected < configuration.maxConnectedPeers {
            peers[peer]!.phase = .connecting(deadline: now.advanced(by: configuration.connectTimeout))
            out.append(.connect(peer))
            connected += 1
        }
    }

    /// A session is open: ask for the manifest.
    mutating func linkUp(_ peer: TransferPeer, now: Instant, into out: inout [TransferAction]) {
        guard let p = peers[peer] else { return }
        switch p.phase {
        case .connecting, .candidate:
            peers[peer]!.phase = .awaitingManifest(sent: now, deadline: now.advanced(by: configuration.manifestTimeout), resend: false)
            send(.manifestRequest(request.content), to: peer, into: &out)
        default:
            break
        }
    }

    /// A session closed: its requests go back to the pool; the peer may be reconnected later.
    mutating func linkDown(_ peer: TransferPeer, now: Instant, into out: inout [TransferAction]) {
        guard let p = peers[peer], p.isConnected else { return }
        let wasReady = p.phase == .ready
        returnRequests(of: peer)
        if case .connecting = p.phase {
            drop(peer, .unreachable, now: now, into: &out)
        } else if p.reconnects < configuration.maxReconnects {
            peers[peer]!.phase = .candidate(notBefore: now.advanced(by: backoff(p.reconnects)))
            peers[peer]!.reconnects += 1
            if !wasReady { peers[peer]!.manifestID = nil }
        } else {
            drop(peer, .linkLost, now: now, into: &out)
        }
    }

    /// Puts `peer`'s requests in flight back in the pool.
    mutating func returnRequests(of peer: TransferPeer) {
        guard let list = peers[peer]?.inflight.keys else { return }
        for index in list { unassign(index, from: peer) }
        peers[peer]!.inflight = [:]
        peers[peer]!.deadlines = [:]
    }

    mutating func unassign(_ index: Int, from peer: TransferPeer) {
        assigned[index]?.removeAll { $0 == peer }
        if assigned[index]?.isEmpty == true { assigned[index] = nil }
        if index < firstMissing { firstMissing = index }
    }

    /// Stops using `peer` for `reason` (a ban if it misbehaved).
    mutating func drop(_ peer: TransferPeer, _ reason: TransferDropReason, now: Instant, into out: inout [TransferAction]) {
        guard let p = peers[peer], !p.isDropped else { return }
        returnRequests(of: peer)
        let wasConnected = p.isConnected
        peers[peer]!.phase = .dropped(reason)
        peers[peer]!.droppedAt = now
        counters.drops[reason, default: 0] += 1
        if wasConnected || reason.isMisbehaviour { out.append(.disconnect(peer, reason: reason)) }
    }

    /// Asks for more providers every `providerRefresh` while fewer than `maxConnectedPeers` are
    /// usable, and at once when none is; fails once no provider has been ready (serving the
    /// manifest) for `providerPatience` and none is left to try. Candidates being retried do not
    /// extend the patience: a provider that is announced but never answers cannot hold the fetch forever.
    mutating func watchProviders(now: Instant, into out: inout [TransferAction]) {
        var usable = 0, ready = 0
        for p in peers.values {
            if p.phase == .ready { ready += 1 }
            switch p.phase {
            case .candidate, .connecting, .awaitingManifest: usable += 1
            case .ready:
                if manifest == nil || p.manifestID == manifest?.id || p.manifestID.map({ alternates[$0] != nil }) ?? false { usable += 1 }
            case .dropped: break
            }
        }
        var ask = usable < configuration.maxConnectedPeers
            && (lastProviderRequest.map { now >= $0.advanced(by: configuration.providerRefresh) } ?? true)
        if usable == 0 {
            if let deadline = patienceDeadline {
                if deadline <= now { fail(finalFailure, into: &out); return }
            } else {
                patienceDeadline = now.advanced(by: configuration.providerPatience)
                ask = true
            }
        } else if ready > 0 {
            patienceDeadline = nil
        }
        if ask {
            lastProviderRequest = now
            out.append(.needProviders)
        }
    }

    /// Why the fetch fails when no provider is left.
    var finalFailure: TransferFailure {
        let reasons = peers.values.compactMap { p -> TransferDropReason? in
            if case let .dropped(r) = p.phase { r } else { nil }
        }
        if reasons.isEmpty && peers.isEmpty { return .noProviders }
        let answered = reasons.filter { $0 != .unreachable && $0 != .noContent && $0 != .timedOut && $0 != .linkLost }
        if !answered.isEmpty, answered.allSatisfy(\.isCorruption) { return .corruptContentFromEveryProvider(tried: peers.count) }
        var byReason: [TransferDropReason: Int] = [:]
        for r in reasons { byReason[r, default: 0] += 1 }
        return .allProvidersFailed(tried: peers.count, reasons: byReason)
    }
}
