import VeectorCrypto
import VeectorDHT
import VeectorNet
import VeectorWire

extension DHTRunner {
    /// Publishes `head` signed with `keyPair` as an owned record: stored on the closest nodes now and
    /// republished by the DHT core (kept in the snapshot across restarts); a newer head of the same
    /// name replaces it. Returns how many nodes stored it.
    @discardableResult
    public func publish(_ head: ModelHead, keyPair: SigningKeyPair) async throws(EndpointLookupError) -> DHTStoreReport {
        let item: MutableItem
        do { item = try head.signed(with: keyPair) } catch { throw .invalid(error.description) }
        let result: DHTResult
        do { result = try await perform(.publish(.mutable(item))) } catch { throw .dht(error) }
        guard case let .stored(stored) = result else { throw .invalid("the DHT answered a publish with \(result)") }
        return stored
    }

    /// The newest head of model `name` published by `publicKey`, checked (salt, signature, shape).
    public func modelHead(of publicKey: [UInt8], name: String) async throws(EndpointLookupError) -> (head: ModelHead, lookup: LookupResult) {
        let salt: [UInt8], target: NodeID
        do { salt = try ModelHead.salt(for: name); target = try ModelHead.target(publicKey: publicKey, name: name) } catch {
            throw .invalid(error.description)
        }
        let (item, lookup) = try await newestMutableItem(target: target, salt: salt, publicKey: publicKey)
        do { return (try ModelHead(item: item), lookup) } catch { throw .invalid(error.description) }
    }
}
