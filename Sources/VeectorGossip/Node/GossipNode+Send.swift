import VeectorWire

extension GossipNode {
    /// Encodes and sends `frame` to `peer` through its queue. Returns false if the queue was full
    /// and the frame was dropped.
    @discardableResult
    mutating func send(_ frame: GossipFrame, to peer: GossipPeer, into out: inout [GossipAction]) -> Bool {
        sendBytes(frame.encoded(), to: peer, into: &out)
    }

    /// Sends already-encoded frame bytes to `peer`: straight out while its send window has room,
    /// else queued (bounded); dropped when the queue is full.
    @discardableResult
    mutating func sendBytes(_ bytes: [UInt8], to peer: GossipPeer, into out: inout [GossipAction]) -> Bool {
        guard let index = peers.index(forKey: peer) else { return false }
        let outcome: SendOutcome
        if let window = configuration.sendWindow {
            let maxFrames = configuration.maxQueuedFrames, maxBytes = configuration.maxQueuedBytes
            outcome = Self.enqueue(bytes, window: window, maxFrames: maxFrames, maxBytes: maxBytes, in: &peers.values[index])
        } else {
            outcome = .send
        }
        switch outcome {
        case .send: emit(bytes, to: peer, into: &out); return true
        case .queued: return true
        case .dropped: counters.queueDrops += 1; return false
        }
    }

    /// Claims a window slot for `bytes`, queues them behind the window, or refuses them (queue full),
    /// mutating `state` in place so its queue is never copied.
    private static func enqueue(_ bytes: [UInt8], window: Int, maxFrames: Int, maxBytes: Int, in state: inout PeerState) -> SendOutcome {
        if state.inFlight >= window || !state.queue.isEmpty {
            guard state.queue.count < maxFrames, state.queuedBytes + bytes.count <= maxBytes else { return .dropped }
            state.queue.append(bytes)
            state.queuedBytes += bytes.count
            return .queued
        }
        state.inFlight += 1
        return .send
    }

    /// The driver finished one send to `peer`: release the next queued frame.
    mutating func sendCompleted(_ peer: GossipPeer, into out: inout [GossipAction]) {
        guard configuration.sendWindow != nil, let index = peers.index(forKey: peer) else { return }
        let next: [UInt8]? = Self.releaseSlot(in: &peers.values[index])
        if let next { emit(next, to: peer, into: &out) }
    }

    /// Frees one window slot and takes the next queued frame into it, in place.
    private static func releaseSlot(in state: inout PeerState) -> [UInt8]? {
        state.inFlight = max(0, state.inFlight - 1)
        guard let next = state.queue.popFirst() else { return nil }
        state.queuedBytes -= next.count
        state.inFlight += 1
        return next
    }

    mutating func emit(_ bytes: [UInt8], to peer: GossipPeer, into out: inout [GossipAction]) {
        counters.framesOut += 1
        counters.bytesOut += bytes.count
        out.append(.send(to: peer, bytes: bytes))
    }

    /// Pushes a message frame to `topic`'s eager peers and queues announcements for its lazy
    /// peers, skipping `except` (the peer it came from) and the author.
    mutating func forward(_ id: GossipMessageID, topic: GossipTopic, frame: [UInt8], author: GossipPeer,
                          except: GossipPeer?, now: Instant, into out: inout [GossipAction]) {
        for peer in (eager[topic] ?? []).sorted() where peer != except && peer != author {
            if !sendBytes(frame, to: peer, into: &out) {
                makeLazy(topic, peer: peer)   // back-pressure: a slow peer repairs by graft instead
                announce(id, topic: topic, to: peer)
            }
        }
        for peer in (lazy[topic] ?? []).sorted() where peer != except && peer != author {
            announce(id, topic: topic, to: peer)
        }
        armLazyFlush(now: now, into: &out)
    }

    /// Batches an `ihave` of `id` for `peer` (bounded; beyond the bound it is dropped).
    mutating func announce(_ id: GossipMessageID, topic: GossipTopic, to peer: GossipPeer) {
        guard let index = peers.index(forKey: peer) else { return }
        guard peers.values[index].pendingCount < configuration.maxPendingAnnouncements else { counters.queueDrops += 1; return }
        peers.values[index].pendingIHave[topic, default: []].append(id)
        peers.values[index].pendingCount += 1
    }

    mutating func armLazyFlush(now: Instant, into out: inout [GossipAction]) {
        guard !lazyFlushArmed else { return }
        lazyFlushArmed = true
        out.append(.setTimer(.lazyFlush, at: now.advanced(by: configuration.lazyDelay)))
    }

    /// Sends every batched announcement.
    mutating func flushAnnouncements(into out: inout [GossipAction]) {
        lazyFlushArmed = false
        // Only peers with announcements waiting, in key order (sending to one never adds to another's);
        // found by index, so no peer's state is copied.
        var waiting: [GossipPeer] = []
        var index = peers.startIndex
        while index != peers.endIndex {
            if !peers.values[index].pendingIHave.isEmpty { waiting.append(peers.keys[index]) }
            peers.formIndex(after: &index)
        }
        for peer in waiting.sorted() {
            guard let pending = peers[peer]?.pendingIHave, !pending.isEmpty else { continue }
            peers[peer]?.pendingIHave = [:]
            peers[peer]?.pendingCount = 0
            for topic in pending.keys.sorted() {
                for chunk in chunks(pending[topic]!, of: GossipLimits.maxIDsPerFrame) {
                    counters.ihavesOut += 1
                    send(.ihave(topic, chunk), to: peer, into: &out)
                }
            }
        }
    }
}

/// What `sendBytes` did with a frame.
enum SendOutcome { case send, queued, dropped }
