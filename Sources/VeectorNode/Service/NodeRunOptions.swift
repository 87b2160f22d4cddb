import Foundation
import VeectorGossip
import VeectorNet
import VeectorWire

/// How `veenode start` runs a node: where it listens, whom it joins, whether it asks the router for a
/// port mapping.
public struct NodeRunOptions: Sendable {
    /// The address the DHT's UDP socket binds (0.0.0.0: every interface).
    public var host: String
    /// The UDP port (0: any free port; the chosen one is in `veenode status`).
    public var port: UInt16
    /// Nodes to join through (empty: start a network of one, which others can join).
    public var bootstrap: [PeerAddress]
    /// Whether to map the port on a UPnP gateway.
    public var upnp: Bool
    /// Read the gateway from this root description URL instead of SSDP discovery (tests, odd networks).
    public var upnpRootDescriptionURL: String?
    /// The lease asked for each mapping, in seconds (renewed at half of it).
    public var upnpLeaseSeconds: Int
    /// Overrides the DHT's per-source-address rate limit (default 50/s, burst 100): for benchmarks that
    /// send from few addresses; nil keeps the default.
    public var dhtRateLimit: (packetsPerSecond: Int, burst: Int)?
    /// Gossip topics to follow besides the public announcements.
    public var gossipTopics: [GossipTopic] = []
    /// A deliberate gossip misbehaviour (test networks only: fault-isolation tests).
    public var misbehave: GossipMisbehaviour.Kind?

    /// The defaults: all interfaces, port 6881, no bootstrap nodes, UPnP on with a one-hour lease.
    public init(host: String = "0.0.0.0", port: UInt16 = 6881, bootstrap: [PeerAddress] = [], upnp: Bool = true,
                upnpRootDescriptionURL: String? = nil, upnpLeaseSeconds: Int = 3600) {
        self.host = host
        self.port = port
        self.bootstrap = bootstrap
        self.upnp = upnp
        self.upnpRootDescriptionURL = upnpRootDescriptionURL
        self.upnpLeaseSeconds = upnpLeaseSeconds
    }

    /// Reads "HOST:PORT,HOST:PORT" (IPv4 addresses) into bootstrap endpoints.
    public static func parseEndpoints(_ text: String) throws(NetError) -> [PeerAddress] {
        var result: [PeerAddress] = []
        for item in text.split(separator: ",") {
            let part = item.trimmingCharacters(in: .whitespaces)
            guard let colon = part.lastIndex(of: ":") else { throw .badEndpoint(part, reason: "no ':PORT'") }
            guard let ip = IPv4Address(String(part[..<colon])) else {
                throw .badEndpoint(part, reason: "'\(part[..<colon])' is not an IPv4 address")
            }
            guard let port = UInt16(part[part.index(after: colon)...]), port != 0 else {
                throw .badEndpoint(part, reason: "the port must be 1…65535")
            }
            result.append(PeerAddress(ip: ip, port: port))
        }
        return result
    }
}
