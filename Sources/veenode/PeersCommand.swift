import ArgumentParser
import VeectorNet
import VeectorNode

/// `veenode peers`: the running node's DHT routing table.
struct Peers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the nodes in the running node's DHT routing table.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let peers = try ControlClient.call(ControlRequest(method: "peers"), socket: global.controlSocketPath, as: [PeerInfo].self)
        if global.json { Output.json(peers); return }
        Output.table(["NODE", "ADDRESS", "LAST SEEN", "FAILURES"], peers.map {
            [$0.id, $0.address, String(format: "%.0f s ago", $0.lastSeenSecondsAgo), "\($0.failures)"]
        })
        print("\(peers.count) node(s)")
    }
}

extension GlobalOptions {
    /// The running node's control socket in the home.
    var controlSocketPath: String { homePath + "/control.sock" }
}
