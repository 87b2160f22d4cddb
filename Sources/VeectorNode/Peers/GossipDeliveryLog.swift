import Foundation
import VeectorGossip

/// The last messages a node delivered or published, with when they arrived: what `veenode gossip
/// messages` shows and what the multi-process tests and benchmarks read latency and duplicates from.
public struct GossipDeliveryLog: Sendable {
    /// One message.
    public struct Entry: Codable, Sendable, Equatable {
        /// Position in the log (increasing from 1).
        public var index: Int
        /// The message ID (its CID).
        public var id: String
        /// Its topic.
        public var topic: String
        /// The author's key (hex).
        public var author: String
        /// The author's sequence number on the topic.
        public var sequence: UInt64
        /// The author's timestamp (Unix milliseconds).
        public var publishedAtMillis: UInt64
        /// When this node delivered it (Unix milliseconds; for its own, when it published).
        public var receivedAtMillis: UInt64
        /// True for this node's own publications.
        public var own: Bool
        /// The inline payload as text when it is UTF-8, else nil.
        public var text: String?
        /// The payload's CID and length.
        public var payloadCID: String
        /// The payload's length in bytes.
        public var payloadLength: UInt64
    }

    private var ring: [Entry] = []
    private let capacity: Int
    /// The index the next entry gets.
    public private(set) var nextIndex = 1

    /// A log keeping the last `capacity` entries.
    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Adds a message.
    mutating func record(_ e: GossipEnvelope, own: Bool, at date: Date) {
        let text = e.inlinePayload.flatMap { String(validating: $0, as: UTF8.self) }
        ring.append(Entry(index: nextIndex, id: e.id.description, topic: e.topic.name, author: PeerKey(e.author.publicKey)!.hex,
                          sequence: e.sequence, publishedAtMillis: e.timestamp,
                          receivedAtMillis: UInt64(date.timeIntervalSince1970 * 1000), own: own, text: text,
                          payloadCID: e.payloadCID.description, payloadLength: e.payloadLength))
        nextIndex += 1
        if ring.count > capacity { ring.removeFirst(ring.count - capacity) }
    }

    /// Entries with an index above `index`, oldest first, at most `limit`.
    public func entries(after index: Int, limit: Int) -> [Entry] {
        Array(ring.lazy.filter { $0.index > index }.prefix(limit))
    }
}
