import Foundation
import VeectorWire

/// The node's current DHT ID and why it is that ID, shared by the DHT service (which switches it,
/// `NodeIDPolicy`) and the control handler (which reports it in `status`).
final class NodeIDState: @unchecked Sendable {
    private let lock = NSLock()
    private var id: NodeID
    private var external: IPv4Address?
    private var source: NodeIDDecision.Source?
    private var switches = 0

    /// Starts at the key-derived ID for no known external address.
    init(_ id: NodeID) { self.id = id }

    /// The ID in use.
    var current: NodeID { lock.withLock { id } }

    /// (ID, external address it is valid for, where that address came from, switches so far).
    var snapshot: (NodeID, IPv4Address?, NodeIDDecision.Source?, Int) { lock.withLock { (id, external, source, switches) } }

    /// Records a switch to `newID`, valid for `address` found through `via`.
    func switched(to newID: NodeID, externalAddress address: IPv4Address, via: NodeIDDecision.Source) {
        lock.withLock {
            id = newID
            external = address
            source = via
            switches += 1
        }
    }
}
