/// A counter per KRPC query method.
public struct DHTMethodCounts: Hashable, Sendable {
    /// `ping`.
    public var ping = 0
    /// `find_node`.
    public var findNode = 0
    /// `get_peers`.
    public var getPeers = 0
    /// `announce_peer`.
    public var announcePeer = 0
    /// `get` (BEP 44).
    public var get = 0
    /// `put` (BEP 44).
    public var put = 0

    /// All zero.
    public init() {}

    /// The sum over methods.
    public var total: Int { ping + findNode + getPeers + announcePeer + get + put }

    /// Adds one to the counter of `method` (a KRPC method name; unknown names are not counted).
    mutating func count(_ method: String) {
        switch method {
        case "ping": ping += 1
        case "find_node": findNode += 1
        case "get_peers": getPeers += 1
        case "announce_peer": announcePeer += 1
        case "get": get += 1
        case "put": put += 1
        default: break
        }
    }
}
