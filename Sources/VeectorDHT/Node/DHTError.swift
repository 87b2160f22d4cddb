import VeectorWire

/// Why a `DHTCommand` failed. Each description says what to do about it.
public enum DHTError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The routing table is empty, so a lookup has nowhere to start.
    case noKnownNodes
    /// `bootstrap` got no addresses and `DHTConfiguration.bootstrapNodes` is empty.
    case noBootstrapAddresses
    /// None of the bootstrap addresses answered.
    case bootstrapUnreachable(contacted: Int)
    /// The node did not answer in time.
    case timedOut(PeerAddress)
    /// The node answered with a KRPC error.
    case remoteError(PeerAddress, KRPCErrorMessage)
    /// The item breaks BEP 44's rules (size, salt, signature) and was not sent.
    case invalidItem(ItemStoreError)
    /// `DHTConfiguration.maxOperations` commands and maintenance lookups are already running.
    case tooManyOperations(limit: Int)
    /// `DHTConfiguration.maxOwnedRecords` records are already published.
    case tooManyOwnedRecords(limit: Int)
    /// The feature is not written yet.
    case notImplemented(String)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .noKnownNodes:
            "the routing table is empty: bootstrap from at least one reachable node first"
        case .noBootstrapAddresses:
            "no bootstrap addresses: pass some to bootstrap or set DHTConfiguration.bootstrapNodes"
        case let .bootstrapUnreachable(n):
            "none of the \(n) bootstrap addresses answered: check the addresses, the network and the firewall"
        case let .timedOut(address):
            "\(address) did not answer in time: it may be offline or filtered"
        case let .remoteError(address, error):
            "\(address) answered with error \(error.code) \"\(String(decoding: error.message, as: UTF8.self))\""
        case let .invalidItem(error):
            "the item was not sent: \(String(decoding: error.krpcError.message, as: UTF8.self)) (BEP 44 error \(error.code)); fix the item and sign it again"
        case let .tooManyOperations(limit):
            "\(limit) DHT operations are already running: wait for some to complete and retry"
        case let .tooManyOwnedRecords(limit):
            "\(limit) records are already published: unpublish one first or raise DHTConfiguration.maxOwnedRecords"
        case let .notImplemented(what):
            "\(what) is not implemented yet"
        }
    }
}
