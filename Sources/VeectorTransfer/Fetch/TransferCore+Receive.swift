import ContentID
import VeectorWire

extension TransferCore {
    /// One message from `peer`: decode it and act on it. Bytes that are not a transfer message get
    /// the peer banned.
    mutating func receive(_ bytes: [UInt8], from peer: TransferPeer, now: Instant, into out: inout [TransferAction]) {
        guard let p = peers[peer], p.isConnected else { return }
        counters.messagesIn += 1
        counters.bytesIn += bytes.count
        let message: TransferMessage
        do { message = try TransferMessage(decoding: bytes, limit: configuration.maxMessageBytes) } catch {
            drop(peer, .malformedMessage, now: now, into: &out)
            return
        }
        guard message.content == request.content else { return }   // another fetch's answer
        switch message {
        case let .manifest(m): receiveManifest(m, from: peer, now: now, into: &out)
        case let .have(_, ranges): peers[peer]!.ranges = ranges
        case let .dontHave(_, list):
            if list.isEmpty { drop(peer, .noContent, now: now, into: &out); return }
            for index in list {
                peers[peer]!.lacks.insert(index)
                if peers[peer]!.inflight.removeValue(forKey: index) != nil {
                    peers[peer]!.deadlines[index] = nil
                    unassign(index, from: peer)
                }
            }
        case let .chunk(_, index, data): receiveChunk(data, index: index, from: peer, now: now, into: &out)
        case let .busy(_, after, list):
            counters.busyReplies += 1
            // The provider's retry-after, doubled for each `busy` in a row: a full provider is asked
            // again ever more rarely instead of once per retry-after (its slots free as its current
            // peers finish, which takes seconds to minutes), while other providers get the requests.
            let streak = min(peers[peer]!.consecutiveBusy, 16)
            peers[peer]!.consecutiveBusy += 1
            let wait = min(Duration.milliseconds(after) * (1 << streak), configuration.maxRetryAfter)
            peers[peer]!.busyUntil = now.advanced(by: wait)
            if case let .awaitingManifest(sent, _, _) = p.phase, list.isEmpty {
                peers[peer]!.phase = .awaitingManifest(sent: sent, deadline: now.advanced(by: wait + configuration.manifestTimeout), resend: true)
            }
            for index in list where peers[peer]!.inflight.removeValue(forKey: index) != nil {
                peers[peer]!.deadlines[index] = nil
                unassign(index, from: peer)
            }
        case .manifestRequest, .want, .cancel:
            break   // requests are the provider's business
        }
    }

    /// A manifest: it must name our content, fit the CID and the pinned manifest ID (if any).
    /// The first good one is chosen; others are kept as alternates.
    mutating func receiveManifest(_ m: TransferManifest, from peer: TransferPeer, now: Instant, into out: inout [TransferAction]) {
        guard case let .awaitingManifest(sent, _, _) = peers[peer]!.phase else { return }
        counters.manifestsReceived += 1
        if refusedManifests.contains(m.id) { counters.manifestsRefused += 1; drop(peer, .wrongContent, now: now, into: &out); return }
        guard m.isConsistentWithContent else {
            counters.manifestsRefused += 1
            refusedManifests.insert(m.id)
            drop(peer, .invalidManifest, now: now, into: &out)
            return
        }
        if let pinned = request.manifestID, pinned != m.id {
            drop(peer, .differentManifest, now: now, into: &out)
            return
        }
        let rtt = now.duration(since: sent).seconds
        peers[peer]!.latency = rtt
        peers[peer]!.phase = .ready
        peers[peer]!.manifestID = m.id
        if manifest == nil {
            adopt(m, now: now, into: &out)
        } else if m.id != manifest!.id, alternates[m.id] == nil, alternates.count < configuration.maxAlternateManifests {
            alternates[m.id] = m
        }
    }

    /// Fetch chunks for `m` from now on; chunks already held (by digest) count at once.
    mutating func adopt(_ m: TransferManifest, now: Instant, into out: inout [TransferAction]) {
        manifest = m
        alternates[m.id] = nil
        held = Array(repeating: false, count: m.chunks.count)
        heldCount = 0
        heldBytes = 0
        assigned = [:]
        excluded = [:]
        firstMissing = 0
        for (i, c) in m.chunks.enumerated() where heldDigests.contains(c.digest) {
            held[i] = true
            heldCount += 1
            heldBytes += UInt64(c.size)
        }
        out.append(.progress(progress))
        if heldCount == m.chunks.count { complete(into: &out) }
    }

    /// Chunk `index` from `peer`: stored if it matches its digest; a bad one bans the sender and
    /// goes back in the pool for someone else.
    mutating func receiveChunk(_ data: [UInt8], index: Int, from peer: TransferPeer, now: Instant, into out: inout [TransferAction]) {
        guard let m = manifest, peers[peer]!.manifestID == m.id, index < m.chunks.count else { return }
        let sent = peers[peer]!.inflight.removeValue(forKey: index)
        peers[peer]!.deadlines[index] = nil
        if sent != nil { unassign(index, from: peer) }
        if held[index] {
            counters.duplicateChunks += 1
            note(arrivalOf: data.count, sent: sent, from: peer, now: now)
            return
        }
        guard m.verifies(data, index: index) else {
            counters.corruptChunks += 1
            excluded[index, default: []].insert(peer)
            drop(peer, .corruptChunk, now: now, into: &out)
            return
        }
        note(arrivalOf: data.count, sent: sent, from: peer, now: now)
        peers[peer]!.consecutiveTimeouts = 0
        peers[peer]!.consecutiveBusy = 0
        peers[peer]!.reconnects = 0
        peers[peer]!.revivals = 0
        held[index] = true
        heldCount += 1
        heldBytes += UInt64(data.count)
        heldDigests.insert(m.chunks[index].digest)
        counters.chunksVerified += 1
        counters.bytesVerified += data.count
        counters.chunksFrom[peer, default: 0] += 1
        out.append(.store(index: index, bytes: data))
        // Other copies in flight (endgame) are no longer needed.
        for other in assigned[index] ?? [] {
            peers[other]!.inflight[index] = nil
            peers[other]!.deadlines[index] = nil
            send(.cancel(request.content, [index]), to: other, into: &out)
        }
        assigned[index] = nil
        excluded[index] = nil
        out.append(.progress(progress))
        if heldCount == m.chunks.count { complete(into: &out) }
    }

    /// Updates `peer`'s throughput (bytes over the time its uplink spent on them) and latency.
    mutating func note(arrivalOf size: Int, sent: Instant?, from peer: TransferPeer, now: Instant) {
        guard let sent else { return }
        var p = peers[peer]!
        let w = configuration.estimateWeight
        let start = max(sent, p.lastArrival ?? sent)
        let service = max(now.duration(since: start).seconds, 1e-4)
        p.throughput = (1 - w) * p.throughput + w * Double(size) / service
        if p.lastArrival.map({ $0 <= sent }) ?? true {
            let rtt = max(0, now.duration(since: sent).seconds - Double(size) / p.throughput)
            p.latency = (1 - w) * p.latency + w * rtt
        }
        p.lastArrival = now
        peers[peer] = p
    }

    /// Every chunk is held: ask the driver to check the whole.
    mutating func complete(into out: inout [TransferAction]) {
        phase = .checking
        for peer in peers.keys.sorted() where !(peers[peer]!.inflight.isEmpty) {
            send(.cancel(request.content, []), to: peer, into: &out)
            returnRequests(of: peer)
        }
        out.append(.checkWhole(manifest!))
    }

    /// The driver hashed the stored chunks: done, or the manifest lied (its senders are banned and
    /// another manifest is tried).
    mutating func wholeChecked(_ matches: Bool, now: Instant, into out: inout [TransferAction]) {
        guard phase == .checking, let m = manifest else { return }
        if matches {
            phase = .finished
            releaseAll(into: &out)
            out.append(.finished(m))
            return
        }
        counters.wholeMismatches += 1
        refusedManifests.insert(m.id)
        for peer in peers.keys.sorted() where peers[peer]!.manifestID == m.id { drop(peer, .wrongContent, now: now, into: &out) }
        manifest = nil
        held = []
        heldCount = 0
        heldBytes = 0
        phase = .running
        switchManifest(now: now, into: &out)
    }

    /// When no ready peer serves the chosen manifest (or there is none), choose the alternate that
    /// most ready peers serve.
    mutating func switchManifest(now: Instant, into out: inout [TransferAction]) {
        if let id = manifest?.id, peers.values.contains(where: { $0.phase == .ready && $0.manifestID == id }) { return }
        if manifest != nil, !assigned.isEmpty { return }
        var count: [CID: Int] = [:]
        for p in peers.values where p.phase == .ready { if let id = p.manifestID, alternates[id] != nil { count[id, default: 0] += 1 } }
        guard let best = count.max(by: { $0.value != $1.value ? $0.value < $1.value : $1.key < $0.key })?.key,
              let m = alternates[best] else { return }
        adopt(m, now: now, into: &out)
    }
}
