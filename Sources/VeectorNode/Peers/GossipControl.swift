import VeectorGossip
import VeectorNet

/// Answers the control socket's gossip methods: `gossip.publish` (topic, text), `gossip.subscribe`,
/// `gossip.unsubscribe` (topic), `gossip.status`, `gossip.messages` (after, limit).
struct GossipControl: ControlHandler {
    let driver: GossipDriver

    /// What `gossip.publish` answers.
    struct Published: Codable, Sendable {
        var id: String
        var topic: String
        var sequence: UInt64
        var timestamp: UInt64
    }

    /// What `gossip.messages` answers.
    struct Messages: Codable, Sendable {
        var messages: [GossipDeliveryLog.Entry]
        var next: Int
    }

    func respond(to request: ControlRequest) async throws(ControlFailure) -> any Encodable & Sendable {
        let p = request.params
        switch request.method {
        case "gossip.publish":
            let topic = try topic(p)
            guard let text = p["text"] else { throw .badParam("text", "missing: the message to publish") }
            do {
                let e = try await driver.publish(topic, .inline(Array(text.utf8)))
                return Published(id: e.id.description, topic: e.topic.name, sequence: e.sequence, timestamp: e.timestamp)
            } catch {
                throw ControlFailure(code: "failed", message: error.description)
            }
        case "gossip.subscribe":
            do { try await driver.subscribe(try topic(p)) } catch let e as ControlFailure { throw e } catch {
                throw ControlFailure(code: "failed", message: "\(error)")
            }
            return ["ok": true]
        case "gossip.unsubscribe":
            await driver.unsubscribe(try topic(p))
            return ["ok": true]
        case "gossip.status":
            return await driver.status()
        case "gossip.messages":
            let after = Int(p["after"] ?? "0") ?? 0
            let limit = max(1, min(10_000, Int(p["limit"] ?? "1000") ?? 1000))
            let (entries, next) = await driver.deliveries(after: after, limit: limit)
            return Messages(messages: entries, next: next)
        default:
            throw .unknownMethod(request.method)
        }
    }

    private func topic(_ p: [String: String]) throws(ControlFailure) -> GossipTopic {
        guard let name = p["topic"] else { throw .badParam("topic", "missing") }
        do { return try GossipTopic(name) } catch { throw .badParam("topic", error.description) }
    }
}
