import VeectorGossip

/// What the rest of the node uses of gossip — sharing and model announcements, say: publish a payload
/// on a topic, follow a topic. The node's `GossipDriver` implements it; tests may use a fake when they
/// are about something else.
public protocol NodeGossip: Sendable {
    /// Signs and sends `payload` on `topic` as this node; returns the envelope (its `id` names the message).
    func publish(_ topic: GossipTopic, _ payload: GossipPayload) async throws(GossipError) -> GossipEnvelope
    /// Subscribes to `topic` and calls `handler` with every new valid message on it from now on
    /// (delivered once per message ID, in arrival order, on the driver's executor: return quickly).
    func follow(_ topic: GossipTopic, _ handler: @escaping @Sendable (GossipEnvelope) -> Void) async throws(GossipError)
}
