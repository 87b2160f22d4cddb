import Foundation
import VeectorNet
import VeectorNode

/// `veenode status` while `veenode start` runs: the home is locked by the running node, so the status
/// comes from its control socket instead.
enum RunningStatus {
    /// Prints the running node's status and returns true, or returns false when no node runs there.
    static func printIfRunning(_ global: GlobalOptions) throws -> Bool {
        let path = global.controlSocketPath
        guard ControlClient.isRunning(socket: path) else { return false }
        let s = try ControlClient.call(ControlRequest(method: "status"), socket: path, as: RunningNodeStatus.self)
        if global.json { Output.json(s); return true }
        print("home:        \(s.home) (running, pid \(s.pid), up \(String(format: "%.0f", s.uptimeSeconds)) s)")
        print("node:        \(s.nodeID)")
        print("public key:  \(s.publicKey)")
        print("listening:   udp \(s.listen)")
        print("published:   \(s.publishedAddresses.isEmpty ? "-" : s.publishedAddresses.joined(separator: ", ")) (endpoint record: \(s.endpointPublications == 0 ? "not stored yet" : "stored on \(s.endpointStoredOn) node(s)"))")
        if let u = s.upnp {
            let maps = u.mappings.map { "\($0.transport.rawValue) \(u.externalAddress ?? "?"):\($0.externalPort)→\($0.internalPort)" }
            print("upnp:        \(u.state)\(maps.isEmpty ? "" : ": " + maps.joined(separator: ", "))\(u.lastError.map { " (\($0))" } ?? "")")
        } else {
            print("upnp:        off (--no-upnp)")
        }
        print("routing:     \(s.routingTableSize) node(s)")
        let t = s.traffic
        print("traffic:     in \(t.packetsIn) packets / \(Output.bytes(t.bytesIn)), out \(t.packetsOut) packets / \(Output.bytes(t.bytesOut)), \(t.sendErrors) send errors")
        let d = s.dht
        print("dht:         \(d.queriesIn) queries in, \(d.queriesOut) out, \(d.timeouts) timeouts; dropped \(d.droppedMalformed) malformed, \(d.droppedRateLimited) rate-limited")
        return true
    }
}
