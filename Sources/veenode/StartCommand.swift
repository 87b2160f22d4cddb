import ArgumentParser
import Foundation
import VeectorGossip
import VeectorNet
import VeectorNode

/// `veenode start`: run the node in the foreground until Ctrl-C or SIGTERM.
struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the node in the foreground: the DHT on UDP, UPnP port mapping, and the control socket.",
        discussion: """
        Stops gracefully on Ctrl-C (SIGINT) or SIGTERM: the control socket is removed, UPnP mappings are \
        deleted and the DHT's routing table is saved for the next start. While it runs, `veenode status`, \
        `veenode peers` and `veenode dht …` talk to it through HOME/control.sock.
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "UDP port for the DHT (0 picks a free one).")
    var port: UInt16 = 6881

    @Option(name: .long, help: "Address to bind (default: every interface).")
    var host: String = "0.0.0.0"

    @Option(name: .long, help: "Nodes to join through: HOST:PORT,HOST:PORT (IPv4).")
    var bootstrap: String?

    @Flag(name: .long, help: "Do not ask the router for a UPnP port mapping.")
    var noUpnp = false

    @Option(name: .long, help: "Read the UPnP gateway from this root description URL instead of discovering it.")
    var upnpUrl: String?

    @Option(name: .long, help: "UPnP lease in seconds (renewed at half of it).")
    var upnpLease: Int = 3600

    @Option(name: .long, help: "Per-source-address DHT rate limit as PACKETS_PER_SECOND,BURST (default 50,100; raise only for benchmarks).")
    var dhtRateLimit: String?

    @Option(name: .customLong("gossip-topic"), help: "Also follow this gossip topic (repeatable).")
    var gossipTopics: [String] = []

    @Option(name: .long, help: ArgumentHelp("Misbehave on purpose in gossip: forge or garbage (test networks only).", visibility: .hidden))
    var misbehave: String?

    @Option(name: .customLong("misbehave-transfer"), help: ArgumentHelp("Misbehave on purpose in content transfer: corrupt (test networks only).", visibility: .hidden))
    var misbehaveTransfer: String?

    func validate() throws {
        if let misbehaveTransfer, misbehaveTransfer != "corrupt" {
            throw ValidationError("--misbehave-transfer must be: corrupt")
        }
        if let misbehave, GossipMisbehaviour.Kind(rawValue: misbehave) == nil {
            throw ValidationError("--misbehave must be one of: \(GossipMisbehaviour.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for t in gossipTopics where (try? GossipTopic(t)) == nil {
            throw ValidationError("--gossip-topic '\(t)' is not a topic: 1–128 bytes of UTF-8")
        }
    }

    func run() async throws {
        let log = global.bootstrapLogging()
        var options = NodeRunOptions(host: host, port: port, upnp: !noUpnp, upnpRootDescriptionURL: upnpUrl, upnpLeaseSeconds: upnpLease)
        if let bootstrap { options.bootstrap = try NodeRunOptions.parseEndpoints(bootstrap) }
        guard upnpLease >= 0 else { throw ValidationError("--upnp-lease must be 0 or more seconds") }
        if let dhtRateLimit {
            let parts = dhtRateLimit.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let rate = parts[0], let burst = parts[1], rate > 0, burst > 0 else {
                throw ValidationError("--dht-rate-limit must be PACKETS_PER_SECOND,BURST with two positive integers, e.g. 100000,100000")
            }
            options.dhtRateLimit = (rate, burst)
        }
        options.gossipTopics = gossipTopics.compactMap { try? GossipTopic($0) }
        options.misbehave = misbehave.flatMap(GossipMisbehaviour.Kind.init(rawValue:))
        let home = try global.openHome(log)
        defer { try? home.close() }
        let identity = try home.deviceIdentity()
        let json = global.json
        var transferOptions = TransferRunOptions()
        transferOptions.corruptChunks = misbehaveTransfer == "corrupt"
        try await NodeRuntime.run(home: home, keyPair: identity.keyPair, options: options, transferOptions: transferOptions,
                                  logger: log) { started in
            if json {
                Output.json(["listen": started.listen.description, "control": started.controlSocket, "nodeID": started.nodeID.hex])
            } else {
                print("node \(started.nodeID.hex) listening on udp \(started.listen); control socket \(started.controlSocket)")
            }
            fflush(nil)
        }
    }
}
