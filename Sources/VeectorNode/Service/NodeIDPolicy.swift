import VeectorDHT
import VeectorWire

/// Decides which DHT node ID a running node should use (Spec/identity.md, "Node ID of a device"): the
/// ID always derives from the device's Ed25519 public key, and once the node knows its external IPv4
/// address it must also be BEP 42-valid for that address. The policy only decides; the DHT service
/// carries the change out (`DHTNode.switchingID(to:now:rng:)`, then a fresh bootstrap).
public struct NodeIDPolicy: Hashable, Sendable {
    /// Distinct reporter IPs that must name the same external IP before the DHT's reports are believed.
    public var minimumReporters: Int

    /// A policy that believes the DHT's `ip` reports once `minimumReporters` distinct responders (and a
    /// strict majority of all kept reports) agree.
    public init(minimumReporters: Int = 3) {
        precondition(minimumReporters > 0, "minimumReporters must be positive")
        self.minimumReporters = minimumReporters
    }

    /// The external IPv4 address the DHT's responders report (BEP 42's `ip` field): the IP named by at
    /// least `minimumReporters` distinct reporter IPs and by more than half of all reports kept; nil
    /// otherwise. Ports are ignored: a NAT may give each destination another port, and the ID depends
    /// only on the IP.
    public func externalIP(fromReports reports: [(reporter: IPv4Address, said: PeerAddress)]) -> IPv4Address? {
        var reporters: [IPv4Address: Set<IPv4Address>] = [:]
        var all = Set<IPv4Address>()
        for report in reports {
            reporters[report.said.ip, default: []].insert(report.reporter)
            all.insert(report.reporter)
        }
        guard let (ip, named) = reporters.max(by: { $0.value.count < $1.value.count }),
              named.count >= minimumReporters, 2 * named.count > all.count else { return nil }
        return ip
    }

    /// What the node should do about its ID: keep it, or switch to the one derived from `publicKey`
    /// for the best-known external address. The DHT's majority comes first (it is what other nodes
    /// actually see, also behind a second NAT); a UPnP gateway's external address is used only when the
    /// DHT has no majority yet and only when it is a public address. A BEP 42-exempt (local) address
    /// derives the plain key hash.
    public func decide(publicKey: [UInt8], current: NodeID, reports: [(reporter: IPv4Address, said: PeerAddress)],
                       upnpExternal: IPv4Address?) -> NodeIDDecision {
        let source: NodeIDDecision.Source
        let ip: IPv4Address
        if let fromDHT = externalIP(fromReports: reports) {
            ip = fromDHT
            source = .dhtReplies
        } else if let upnp = upnpExternal, upnp.value != 0, !upnp.isLocal {
            ip = upnp
            source = .upnp
        } else {
            return .keep
        }
        let wanted = NodeID.derived(fromPublicKey: publicKey, externalAddress: ip)
        return wanted == current ? .keep : .switchTo(wanted, externalAddress: ip, source: source)
    }
}

/// The outcome of `NodeIDPolicy.decide`.
public enum NodeIDDecision: Hashable, Sendable {
    /// Where the external address came from.
    public enum Source: String, Hashable, Sendable {
        /// A majority of distinct DHT responders' `ip` fields.
        case dhtReplies = "dht-replies"
        /// The UPnP gateway's external address.
        case upnp
    }

    /// The current ID is right for what the node knows.
    case keep
    /// Switch to this key-derived ID, valid for `externalAddress` (found through `source`).
    case switchTo(NodeID, externalAddress: IPv4Address, source: Source)
}
