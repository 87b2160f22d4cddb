import Foundation
import NIOCore
import VeectorGossip

extension GossipDriver {
    /// Arms the core (its heartbeat) and follows `topics`.
    public func start(topics: [GossipTopic]) {
        loop.execute {
            for topic in topics { self.process(.command(.subscribe(topic))) }
            if topics.isEmpty { self.process(.command(.addCandidates([]))) }
        }
    }

    /// Signs and sends `payload` on `topic` (the node follows the topic from then on).
    public func publish(_ topic: GossipTopic, _ payload: GossipPayload) async throws(GossipError) -> GossipEnvelope {
        let result: Result<GossipEnvelope, GossipError> = await withCheckedContinuation { continuation in
            loop.execute {
                if !self.core.topics.contains(topic) { self.process(.command(.subscribe(topic))) }
                let command = GossipCommand.publish(topic, payload)
                for action in self.process(.command(command)) {
                    if case let .published(envelope) = action { return continuation.resume(returning: .success(envelope)) }
                    if case let .commandFailed(failed, error) = action, failed == command { return continuation.resume(returning: .failure(error)) }
                }
                // The core answers every publish with `published` or `commandFailed`; this is unreachable.
                continuation.resume(returning: .failure(.valueOutOfRange(field: "publish (no answer from the gossip core)", value: 0)))
            }
        }
        return try result.get()
    }

    /// Follows `topic` and calls `handler` for each new message on it.
    public func follow(_ topic: GossipTopic, _ handler: @escaping @Sendable (GossipEnvelope) -> Void) async throws(GossipError) {
        let failure: GossipError? = await withCheckedContinuation { continuation in
            loop.execute {
                self.followers[topic, default: []].append(handler)
                continuation.resume(returning: self.subscribe(topic))
            }
        }
        if let failure { throw failure }
    }

    /// Follows `topic` (no handler: its messages go to the delivery log only).
    public func subscribe(_ topic: GossipTopic) async throws(GossipError) {
        let failure: GossipError? = await withCheckedContinuation { continuation in
            loop.execute { continuation.resume(returning: self.subscribe(topic)) }
        }
        if let failure { throw failure }
    }

    /// Stops following `topic`.
    public func unsubscribe(_ topic: GossipTopic) async {
        await withCheckedContinuation { continuation in
            loop.execute {
                self.followers[topic] = nil
                self.process(.command(.unsubscribe(topic)))
                continuation.resume()
            }
        }
    }

    func subscribe(_ topic: GossipTopic) -> GossipError? {
        guard !core.topics.contains(topic) else { return nil }
        let command = GossipCommand.subscribe(topic)
        for action in process(.command(command)) {
            if case let .commandFailed(failed, error) = action, failed == command { return error }
        }
        return nil
    }

    /// The delivery log's entries after `index` (at most `limit`), and the log's next index.
    public func deliveries(after index: Int, limit: Int = 1000) async -> (entries: [GossipDeliveryLog.Entry], next: Int) {
        await withCheckedContinuation { continuation in
            loop.execute { continuation.resume(returning: (self.log.entries(after: index, limit: limit), self.log.nextIndex)) }
        }
    }

    /// The core's state and counters, for `veenode gossip status`.
    public func status() async -> GossipStatusReply {
        await withCheckedContinuation { continuation in
            loop.execute {
                let c = self.core
                let s = c.stats
                var rejections: [String: Int] = [:]
                for (k, v) in s.rejections { rejections[k.description] = v }
                continuation.resume(returning: GossipStatusReply(
                    key: PeerKey(self.links.ownKey.bytes)!.hex,
                    linked: c.linkedPeers.map { PeerKey($0.publicKey)!.hex },
                    topics: c.topics.map { t in GossipStatusReply.Topic(name: t.name, eager: c.eagerPeers(t).count, lazy: c.lazyPeers(t).count) },
                    framesIn: s.framesIn, framesOut: s.framesOut, bytesIn: s.bytesIn, bytesOut: s.bytesOut,
                    messagesIn: s.messagesIn, duplicates: s.duplicates, delivered: s.delivered, published: s.published,
                    rejections: rejections, offendersDisconnected: s.offendersDisconnected, queueDrops: s.queueDrops,
                    graftsOut: s.graftsOut, prunesOut: s.prunesOut, ihavesOut: s.ihavesOut,
                    seen: c.seenCount, ignoredFrames: self.ignoredFrames,
                    misbehaving: self.misbehaviour.map { "\($0.kind)" }))
            }
        }
    }
}

/// What `gossip.status` answers.
public struct GossipStatusReply: Codable, Sendable {
    /// One followed topic and the size of its mesh.
    public struct Topic: Codable, Sendable {
        /// The topic's name.
        public var name: String
        /// Eager (full-message) links on it.
        public var eager: Int
        /// Lazy (announcement-only) links on it.
        public var lazy: Int
    }
    /// This node's key (hex).
    public var key: String
    /// Peers with a gossip link now (hex keys).
    public var linked: [String]
    /// Followed topics.
    public var topics: [Topic]
    /// Frames and bytes in and out.
    public var framesIn: Int, framesOut: Int, bytesIn: Int, bytesOut: Int
    /// Full message frames received (duplicates included), duplicates among them, new messages delivered,
    /// own messages published.
    public var messagesIn: Int, duplicates: Int, delivered: Int, published: Int
    /// Refused frames by reason.
    public var rejections: [String: Int]
    /// Peers disconnected for misbehaving, and frames dropped from full queues.
    public var offendersDisconnected: Int, queueDrops: Int
    /// Grafts, prunes and `ihave` announcements sent (the tree's repair traffic).
    public var graftsOut: Int, prunesOut: Int, ihavesOut: Int
    /// Message IDs remembered.
    public var seen: Int
    /// Gossip frames from peers with no gossip link (dropped).
    public var ignoredFrames: Int
    /// Set when this node misbehaves on purpose (a test network's adversary).
    public var misbehaving: String?
}
