/// A UDP/TCP endpoint (IPv4 address and port): where a node or peer is reached, and the 6-byte
/// "compact IP-address/port info" of BEP 5.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    /// Bytes in the compact form.
    public static let compactBytes = 6

    /// The address.
    public var ip: IPv4Address
    /// The port.
    public var port: UInt16

    /// Makes an endpoint.
    public init(ip: IPv4Address, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Reads the compact form (4 address bytes then 2 port bytes, network order); nil unless
    /// exactly 6 bytes.
    public init?(compact bytes: some Collection<UInt8>) {
        guard bytes.count == Self.compactBytes else { return nil }
        let b = Array(bytes)
        ip = IPv4Address(b[0], b[1], b[2], b[3])
        port = UInt16(b[4]) << 8 | UInt16(b[5])
    }

    /// The 6-byte compact form.
    public var compact: [UInt8] { ip.bytes + [UInt8(port >> 8), UInt8(truncatingIfNeeded: port)] }

    /// "a.b.c.d:port".
    public var description: String { "\(ip):\(port)" }
}
