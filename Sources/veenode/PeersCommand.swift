import ArgumentParser
import VeectorNet
import VeectorNode

/// `veenode peers`: the running node's DHT routing table.
struct Peers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the nodes in the running node's DHT routing table (or, with --sessions, its open peer sessions).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "List the encrypted peer sessions (gossip, transfer) instead of the DHT routing table.")
    var sessions = false

    func run() async throws {
        if sessions {
            let r = try ControlClient.call(ControlRequest(method: "peers.sessions"), socket: global.controlSocketPath, as: SessionsReply.self)
            if global.json { Output.json(r); return }
            Output.table(["PEER KEY"], r.connected.map { [$0] })
            let s = r.statistics
            print("\(s.open) open; dialled \(s.dialled), accepted \(s.accepted), dial failures \(s.dialFailures), idle-closed \(s.idleClosed)")
            if !r.refused.isEmpty { print("graylisted: " + r.refused.sorted { $0.key < $1.key }.map { "\($0.key.prefix(16))… \($0.value) s" }.joined(separator: ", ")) }
            return
        }
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

/// `peers.sessions`' answer.
struct SessionsReply: Codable {
    var connected: [String]
    var refused: [String: Int]
    var statistics: PeerLinkStatistics
}
