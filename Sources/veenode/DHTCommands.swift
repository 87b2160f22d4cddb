import ArgumentParser
import VeectorNet
import VeectorNode

/// `veenode dht …`: DHT operations carried out by the running node.
struct DHT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dht", abstract: "Look up, get, put and announce in the DHT through the running node.",
        subcommands: [Lookup.self, Get.self, Put.self, Announce.self, Endpoint.self, Head.self, Ping.self])

    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find the nodes closest to a 40-hex-digit ID (or, with --peers, the peers announced for an info-hash).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The target ID or info-hash (40 hex digits).") var target: String
        @Flag(name: .long, help: "Ask for peers (get_peers) instead of nodes (find_node).") var peers = false

        func run() async throws {
            var params = ["target": target]
            if peers { params["peers"] = "1" }
            let r = try ControlClient.call(ControlRequest(method: "dht.lookup", params: params), socket: global.controlSocketPath, as: LookupReply.self)
            if global.json { Output.json(r); return }
            Output.table(["NODE", "ADDRESS"], r.closest.map { [$0.id, $0.address] })
            if peers { print("peers: \(r.peers.isEmpty ? "none" : r.peers.joined(separator: ", "))") }
            print("\(r.queries) queries, \(r.responses) replies, \(r.hops) rounds")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Get a BEP 44 item by target (mutable items: give the salt they were stored with).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item's target (40 hex digits).") var target: String
        @Option(name: .long, help: "The salt of a mutable item.") var salt: String?

        func run() async throws {
            var params = ["target": target]
            if let salt { params["salt"] = salt }
            let r = try ControlClient.call(ControlRequest(method: "dht.get", params: params), socket: global.controlSocketPath, as: ItemReply.self)
            if global.json { Output.json(r); return }
            guard r.found else { print("not found"); throw ExitCode(1) }
            print(r.value ?? "")
            if let seq = r.seq, let key = r.publicKey { print("(mutable, seq \(seq), key \(key))") }
        }
    }

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a text value as a BEP 44 item: immutable, or with --mutable signed with this node's key.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The value (stored as a bencoded byte string, at most ~990 bytes).") var value: String
        @Flag(name: .long, help: "Store a mutable item signed with the node's device key.") var mutable = false
        @Option(name: .long, help: "Salt for a mutable item.") var salt: String?
        @Option(name: .long, help: "Sequence number for a mutable item (default: the time in milliseconds).") var seq: Int64?

        func run() async throws {
            var params = ["value": value]
            if mutable { params["mutable"] = "1" }
            if let salt { params["salt"] = salt }
            if let seq { params["seq"] = String(seq) }
            let r = try ControlClient.call(ControlRequest(method: "dht.put", params: params), socket: global.controlSocketPath, as: StoreReply.self)
            if global.json { Output.json(r); return }
            print("target \(r.target): stored on \(r.stored) of \(r.asked) node(s)")
            for x in r.rejections { print("rejected: \(x)") }
        }
    }

    struct Announce: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Announce this node as a peer for an info-hash.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The info-hash (40 hex digits).") var infohash: String
        @Option(name: .long, help: "The port to announce (default: the UDP source port, implied_port).") var port: UInt16?

        func run() async throws {
            var params = ["infohash": infohash]
            if let port { params["port"] = String(port) }
            let r = try ControlClient.call(ControlRequest(method: "dht.announce", params: params), socket: global.controlSocketPath, as: StoreReply.self)
            if global.json { Output.json(r); return }
            print("announced \(r.target) to \(r.stored) of \(r.asked) node(s)")
        }
    }

    struct Endpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find where the node with this public key can be reached (its signed endpoint record).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The node's Ed25519 public key (64 hex digits, from its `veenode status`).") var key: String

        func run() async throws {
            let r = try ControlClient.call(ControlRequest(method: "dht.endpoint", params: ["key": key]), socket: global.controlSocketPath, as: EndpointReply.self)
            if global.json { Output.json(r); return }
            print("node \(r.nodeID): \(r.addresses.joined(separator: ", ")) (published \(r.publishedAt))")
        }
    }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the newest version of a model that a publisher shared (its signed head in the DHT).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The publisher's Ed25519 public key (64 hex digits).") var key: String
        @Argument(help: "The model's name as the publisher shared it.") var name: String

        func run() async throws {
            let r = try ControlClient.call(ControlRequest(method: "dht.head", params: ["key": key, "name": name]),
                                           socket: global.controlSocketPath, as: ModelHeadReply.self)
            if global.json { Output.json(r); return }
            print("model \(r.name) (\(r.arch), \(r.bytes) bytes): manifest \(r.manifest), published \(r.publishedAt) ms")
        }
    }

    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ping a DHT node at HOST:PORT.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address (IPv4:PORT).") var address: String

        func run() async throws {
            let r = try ControlClient.call(ControlRequest(method: "dht.ping", params: ["address": address]), socket: global.controlSocketPath, as: ContactReply.self)
            if global.json { Output.json(r); return }
            print("pong from \(r.id) at \(r.address)")
        }
    }
}
