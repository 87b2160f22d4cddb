import VeectorDHT
import VeectorNet
import VeectorWire

/// Why `DHTRunner.endpointRecord(of:)` (or `modelHead(of:name:)`) found no usable record.
public enum EndpointLookupError: Error, Sendable {
    /// No valid endpoint record under that key (the node is not running, not joined, or never published).
    case notFound
    /// The record found does not parse (`reason`).
    case invalid(String)
    /// The DHT itself failed.
    case dht(NetError)
}

extension DHTRunner {
    /// The newest endpoint record published under `publicKey` (from the network, or this node's own
    /// store when it is one of the record's closest nodes), with the lookup that found it.
    public func endpointRecord(of publicKey: [UInt8]) async throws(EndpointLookupError) -> (record: EndpointRecord, lookup: LookupResult) {
        let (item, lookup) = try await newestMutableItem(target: EndpointRecord.target(publicKey: publicKey),
                                                         salt: EndpointRecord.salt, publicKey: publicKey)
        do { return (try EndpointRecord(item: item), lookup) } catch { throw .invalid("\(error)") }
    }

    /// The newest mutable item signed by `publicKey` at `target` (salt `salt`): from an iterative BEP 44
    /// `get`, or this node's own store when it holds a newer copy (a lookup asks only other nodes).
    func newestMutableItem(target: NodeID, salt: [UInt8], publicKey: [UInt8]) async throws(EndpointLookupError) -> (MutableItem, LookupResult) {
        let result: DHTResult
        do { result = try await perform(.getItem(target: target, salt: salt, seq: nil)) } catch { throw .dht(error) }
        guard case let .item(found, lookup) = result else { throw .notFound }
        var newest: DHTItem? = found
        let now = driver.now()
        if let local = try? await driver.withCore({ $0.itemStore.item(for: target, now: now)?.item }), case let .mutable(l) = local {
            if case let .mutable(f)? = newest, f.seq >= l.seq {} else { newest = local }
        }
        guard case let .mutable(item)? = newest, item.publicKey == publicKey else { throw .notFound }
        return (item, lookup)
    }

    /// Where the node with `publicKey` can be reached: its endpoint record's addresses, else the address
    /// the DHT knows for the record's node ID; empty when nothing is found.
    public func endpointAddresses(of publicKey: [UInt8]) async -> [PeerAddress] {
        guard let (record, _) = try? await endpointRecord(of: publicKey) else { return [] }
        if !record.addresses.isEmpty { return record.addresses }
        if case let .nodes(r)? = try? await perform(.findNode(record.nodeID)),
           let exact = r.closest.first(where: { $0.contact.id == record.nodeID }) {
            return [exact.contact.address]
        }
        return []
    }
}
