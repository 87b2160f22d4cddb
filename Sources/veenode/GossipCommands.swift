import ArgumentParser
import Foundation
import VeectorNet
import VeectorNode

/// `veenode gossip …`: publish and follow signed messages through the running node.
struct Gossip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gossip", abstract: "Publish and follow signed gossip messages through the running node.",
        discussion: "Every node follows \(GossipTopics.announcements.name); `subscribe` adds topics until the node stops.",
        subcommands: [Publish.self, Subscribe.self, Unsubscribe.self, Messages.self, Status.self])

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign TEXT as this node and send it to every node following TOPIC.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The topic (1–128 bytes of UTF-8).") var topic: String
        @Argument(help: "The message (at most 16 KiB).") var text: String

        func run() async throws {
            let r = try ControlClient.call(ControlRequest(method: "gossip.publish", params: ["topic": topic, "text": text]),
                                           socket: global.controlSocketPath, as: PublishedReply.self)
            if global.json { Output.json(r); return }
            print("published \(r.id) on \(r.topic) (sequence \(r.sequence))")
        }
    }

    struct Subscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Follow TOPIC: receive, deliver and relay its messages.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The topic.") var topic: String

        func run() async throws {
            _ = try ControlClient.call(ControlRequest(method: "gossip.subscribe", params: ["topic": topic]),
                                       socket: global.controlSocketPath, as: [String: Bool].self)
            if !global.json { print("following \(topic)") }
        }
    }

    struct Unsubscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop following TOPIC.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The topic.") var topic: String

        func run() async throws {
            _ = try ControlClient.call(ControlRequest(method: "gossip.unsubscribe", params: ["topic": topic]),
                                       socket: global.controlSocketPath, as: [String: Bool].self)
            if !global.json { print("no longer following \(topic)") }
        }
    }

    struct Messages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the messages the node delivered or published (newest last).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Only entries after this log index.") var after = 0
        @Option(name: .long, help: "At most this many entries.") var limit = 100

        func run() async throws {
            let r = try ControlClient.call(ControlRequest(method: "gossip.messages", params: ["after": String(after), "limit": String(limit)]),
                                           socket: global.controlSocketPath, as: MessagesReply.self)
            if global.json { Output.json(r); return }
            Output.table(["#", "TOPIC", "AUTHOR", "LATENCY MS", "TEXT"], r.messages.map { m in
                [String(m.index), m.topic, String(m.author.prefix(16)), m.own ? "own" : String(Int64(m.receivedAtMillis) - Int64(m.publishedAtMillis)),
                 m.text ?? "(\(m.payloadLength) bytes: \(m.payloadCID))"]
            })
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Gossip links, topics and counters of the running node.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let r = try ControlClient.call(ControlRequest(method: "gossip.status"), socket: global.controlSocketPath, as: GossipStatusReply.self)
            if global.json { Output.json(r); return }
            print("links: \(r.linked.count)   delivered: \(r.delivered)   published: \(r.published)   duplicates: \(r.duplicates)")
            Output.table(["TOPIC", "EAGER", "LAZY"], r.topics.map { [$0.name, String($0.eager), String($0.lazy)] })
            if !r.rejections.isEmpty {
                print("refused: " + r.rejections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            if r.offendersDisconnected > 0 { print("offenders disconnected: \(r.offendersDisconnected)") }
        }
    }
}

/// `gossip.publish`'s answer.
struct PublishedReply: Codable {
    var id: String
    var topic: String
    var sequence: UInt64
    var timestamp: UInt64
}

/// `gossip.messages`' answer.
struct MessagesReply: Codable {
    var messages: [GossipDeliveryLog.Entry]
    var next: Int
}
