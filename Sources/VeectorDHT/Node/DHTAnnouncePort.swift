/// Which port an `announce_peer` tells other nodes to list us under.
public enum DHTAnnouncePort: Hashable, Sendable {
    /// This explicit TCP/UDP port.
    case port(UInt16)
    /// `implied_port = 1`: the receivers use the UDP source port they see (right behind a NAT
    /// that maps the DHT socket and the service socket alike).
    case implied
}
