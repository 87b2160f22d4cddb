import VeectorWire

/// The simulated Internet: decides when (and whether) a datagram from one peer reaches another.
///
/// It knows each peer's address, whether it is up, which partition group it is in, whether it sits
/// behind a NAT (and whether that NAT was opened with UPnP), and each uplink's queue. It draws every
/// random choice from its own `SimRandom`, so a run is reproducible from its seed.
public struct VirtualNetwork {
    /// Why a datagram did not arrive (counted in reports).
    public enum Drop: String, Sendable, CaseIterable {
        case loss, partition, nat, down
    }

    /// The conditions in force.
    public var conditions: NetworkConditions
    /// Addresses by peer index.
    public private(set) var addresses: [PeerAddress] = []
    private var indexByAddress: [PeerAddress: Int] = [:]
    /// Whether each peer is running.
    public var isUp: [Bool] = []
    /// Partition group of each peer; datagrams only flow inside a group while `partitioned`.
    public var group: [Int] = []
    /// True while a partition is in force.
    public var partitioned = false
    /// Peers behind a NAT that drops unsolicited datagrams.
    public var behindNAT: [Bool] = []
    /// Peers whose NAT was opened with UPnP (reachable despite `behindNAT`).
    public var hasUPnP: [Bool] = []
    private var uplinkFreeAt: [Instant] = []
    /// NAT pinholes: (inside peer, outside address) → last time the inside peer sent there.
    private var pinholes: [PinholeKey: Instant] = [:]
    private var rng: SimRandom
    /// Datagrams dropped, by reason.
    public private(set) var drops: [Drop: Int] = [:]
    /// Datagrams delivered.
    public private(set) var delivered = 0
    /// Bytes put on the wire.
    public private(set) var bytesSent = 0

    /// How long a NAT keeps a pinhole open after the last outgoing datagram.
    public var pinholeLifetime: Duration = .seconds(120)

    private struct PinholeKey: Hashable { let inside: Int; let outside: PeerAddress }

    /// A network with no peers yet.
    public init(conditions: NetworkConditions, rng: SimRandom) {
        self.conditions = conditions
        self.rng = rng
    }

    /// Adds a peer at `address`; returns its index.
    @discardableResult
    public mutating func addPeer(_ address: PeerAddress, behindNAT nat: Bool = false, upnp: Bool = false) -> Int {
        let index = addresses.count
        addresses.append(address)
        indexByAddress[address] = index
        isUp.append(true)
        group.append(0)
        behindNAT.append(nat)
        hasUPnP.append(upnp)
        uplinkFreeAt.append(.zero)
        return index
    }

    /// The peer at `address`, if any.
    public func index(of address: PeerAddress) -> Int? { indexByAddress[address] }

    /// The address `i`-th peer: 10.x.y.z, unique for up to 16 million peers.
    public static func address(ofPeer i: Int) -> PeerAddress {
        PeerAddress(ip: IPv4Address(10, UInt8((i >> 16) & 0xFF), UInt8((i >> 8) & 0xFF), UInt8(i & 0xFF)), port: 6881)
    }

    /// The arrival time of `bytes` sent from peer `from` to `to` at `now`, or why it is dropped.
    public mutating func transmit(_ count: Int, from: Int, to destination: PeerAddress, now: Instant) -> Result<Instant, DropReason> {
        bytesSent += count
        pinholes[PinholeKey(inside: from, outside: destination)] = now
        guard let to = indexByAddress[destination], isUp[to] else { return fail(.down) }
        if partitioned && group[from] != group[to] { return fail(.partition) }
        if behindNAT[to] && !hasUPnP[to] {
            guard let opened = pinholes[PinholeKey(inside: to, outside: addresses[from])],
                  now <= opened.advanced(by: pinholeLifetime) else { return fail(.nat) }
        }
        if rng.chance(conditions.loss) { return fail(.loss) }
        // Uplink serialisation.
        var departure = max(now, uplinkFreeAt[from])
        if conditions.uplinkBytesPerSecond > 0 {
            let ns = UInt64(count) * 1_000_000_000 / UInt64(conditions.uplinkBytesPerSecond)
            departure = departure.advanced(by: .nanoseconds(Int64(ns)))
            uplinkFreeAt[from] = departure
        }
        let delay = linkDelay(from, to) + jitter()
        delivered += 1
        return .success(departure.advanced(by: delay))
    }

    /// Why `transmit` dropped a datagram.
    public struct DropReason: Error { public let drop: Drop }

    private mutating func fail(_ d: Drop) -> Result<Instant, DropReason> {
        drops[d, default: 0] += 1
        return .failure(DropReason(drop: d))
    }

    /// The base delay of a link, the same in both directions and for the whole run.
    private func linkDelay(_ a: Int, _ b: Int) -> Duration { conditions.baseDelay(a, b) }

    private mutating func jitter() -> Duration {
        let mean = Double(conditions.jitter.nanosecondCount)
        guard mean > 0 else { return .zero }
        let u = max(rng.unit(), 1e-12)
        return .nanoseconds(Int64(-mean * log(u)))
    }
}

private func log(_ x: Double) -> Double {
    // Natural logarithm without Foundation, by range reduction and a series: the simulator must give
    // the same bits on every platform, so it does not depend on a libm's rounding.
    var m = x, e = 0.0
    while m > 2 { m /= 2; e += 1 }
    while m < 1 { m *= 2; e -= 1 }
    let y = (m - 1) / (m + 1), y2 = y * y
    var term = y, sum = 0.0, k = 1.0
    for _ in 0..<30 { sum += term / k; term *= y2; k += 2 }
    return 2 * sum + e * 0.693_147_180_559_945_3
}
