import VeectorWire

extension GossipNode {
    /// Carries out a local command.
    mutating func run(_ command: GossipCommand, now: Instant, rng: inout some RandomNumberGenerator,
                      into out: inout [GossipAction]) {
        switch command {
        case let .subscribe(topic):
            guard !subscriptions.contains(topic) else { return }
            guard subscriptions.count < configuration.maxTopics else {
                out.append(.commandFailed(command, .tooManyTopics(limit: configuration.maxTopics)))
                return
            }
            subscriptions.insert(topic)
            for peer in peers.keys.sorted() {
                send(.subscribe([topic]), to: peer, into: &out)
                if peers[peer]!.topics.contains(topic) { addToMesh(topic, peer: peer) }
            }
        case let .unsubscribe(topic):
            guard subscriptions.remove(topic) != nil else { return }
            eager[topic] = nil
            lazy[topic] = nil
            for peer in peers.keys.sorted() { send(.unsubscribe([topic]), to: peer, into: &out) }
        case let .publish(topic, payload):
            publish(command, topic: topic, payload: payload, now: now, rng: &rng, into: &out)
        case let .addCandidates(list):
            candidates.formUnion(list.filter { $0 != identity })
        case let .removeCandidates(list):
            candidates.subtract(list)
        }
    }

    /// Signs a new message and sends it: to the topic's eager and lazy peers if we follow the
    /// topic, else pushed to up to `fanout` peers that follow it.
    mutating func publish(_ command: GossipCommand, topic: GossipTopic, payload: GossipPayload, now: Instant,
                          rng: inout some RandomNumberGenerator, into out: inout [GossipAction]) {
        if case let .inline(bytes) = payload, bytes.count > configuration.maxInlinePayload {
            out.append(.commandFailed(command, .payloadTooLarge(bytes: bytes.count, limit: configuration.maxInlinePayload)))
            return
        }
        let envelope: GossipEnvelope
        do {
            envelope = try GossipEnvelope.sign(keys, topic: topic, sequence: nextSequence[topic] ?? 0,
                                               timestamp: unixMillis(now), payload: payload)
        } catch {
            out.append(.commandFailed(command, error))
            return
        }
        let frame = GossipFrame.message(envelope).encoded()
        guard frame.count <= configuration.maxFrameBytes else {
            out.append(.commandFailed(command, .frameTooLarge(bytes: frame.count, limit: configuration.maxFrameBytes)))
            return
        }
        nextSequence[topic] = (nextSequence[topic] ?? 0) + 1
        counters.published += 1
        seen.insert(envelope.id, now: now)
        store.insert(envelope.id, topic: topic, frame: frame, now: now)
        out.append(.published(envelope))
        if subscriptions.contains(topic) {
            forward(envelope.id, topic: topic, frame: frame, author: identity, except: nil, now: now, into: &out)
        } else {
            var pool = peers.filter { $0.value.topics.contains(topic) }.map(\.key).sorted()
            for _ in 0..<min(configuration.fanout, pool.count) {
                sendBytes(frame, to: pool.remove(at: Int(rng.next() % UInt64(pool.count))), into: &out)
            }
        }
    }
}
