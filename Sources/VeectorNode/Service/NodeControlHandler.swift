import Foundation
import VeectorCrypto
import VeectorDHT
import VeectorNet
import VeectorWire

/// Answers the control socket for a running node: `status`, `peers`, and the DHT operations
/// `dht.ping`, `dht.lookup`, `dht.get`, `dht.put`, `dht.announce`, `dht.endpoint`, `dht.head` (see Docs/network.md).
public struct NodeControlHandler: ControlHandler {
    let runner: DHTRunner
    let mapper: UPnPPortMapper?
    let keyPair: SigningKeyPair
    let identity: NodeIDState
    let home: String
    let started: ContinuousClock.Instant
    let published: PublishedAddresses
    /// Handlers for other families of methods, by the part of the name before the first dot
    /// ("gossip" for `gossip.publish`, …).
    var routes: [String: any ControlHandler] = [:]

    /// One method → one answer.
    public func respond(to request: ControlRequest) async throws(ControlFailure) -> any Encodable & Sendable {
        let p = request.params
        switch request.method {
        case "status": return try await status()
        case "peers":
            let entries = try await call { () async throws(NetError) in try await runner.routingEntries() }
            let now = runner.driver.now()
            return entries.map { e in
                PeerInfo(id: e.contact.id.hex, address: e.contact.address.description, failures: e.failures,
                         lastSeenSecondsAgo: Double(now.duration(since: e.lastSeen).nanosecondCount) / 1e9)
            }
        case "dht.ping":
            let address = try endpoint(p, "address")
            guard case let .pong(contact) = try await perform(.ping(address)) else { throw unexpected() }
            return ContactReply(contact)
        case "dht.lookup":
            let target = try id(p, "target")
            let start = ContinuousClock.now
            if p["peers"] == "1" {
                guard case let .peers(r) = try await perform(.getPeers(infoHash: target)) else { throw unexpected() }
                return LookupReply(r, milliseconds: Self.milliseconds(since: start))
            }
            guard case let .nodes(r) = try await perform(.findNode(target)) else { throw unexpected() }
            return LookupReply(r, milliseconds: Self.milliseconds(since: start))
        case "dht.get":
            let target = try id(p, "target")
            let salt = Array((p["salt"] ?? "").utf8)
            let start = ContinuousClock.now
            guard case let .item(item, r) = try await perform(.getItem(target: target, salt: salt, seq: nil)) else { throw unexpected() }
            var reply = ItemReply(target: target.hex, item: item)
            reply.lookup = LookupCost(r, milliseconds: Self.milliseconds(since: start))
            return reply
        case "dht.put":
            guard let text = p["value"] else { throw .badParam("value", "missing") }
            let value = BencodeValue.string(text)
            guard value.encoded().count <= BEP44.maxValueBytes else {
                throw .badParam("value", "BEP 44 values are at most \(BEP44.maxValueBytes) bytes bencoded")
            }
            let command: DHTCommand
            if p["mutable"] == "1" {
                let salt = Array((p["salt"] ?? "").utf8)
                guard salt.count <= BEP44.maxSaltBytes else { throw .badParam("salt", "at most \(BEP44.maxSaltBytes) bytes") }
                let seq = try p["seq"].map { s throws(ControlFailure) in
                    guard let v = Int64(s) else { throw .badParam("seq", "expected an integer") }
                    return v
                } ?? Int64(Date().timeIntervalSince1970 * 1000)
                command = .putMutable(MutableItem.signed(value: value, seq: seq, salt: salt, keyPair: keyPair), cas: nil)
            } else {
                command = .putImmutable(value)
            }
            guard case let .stored(r) = try await perform(command) else { throw unexpected() }
            return StoreReply(r)
        case "dht.announce":
            let infoHash = try id(p, "infohash")
            let port: DHTAnnouncePort
            if let text = p["port"] {
                guard let v = UInt16(text), v != 0 else { throw .badParam("port", "expected 1…65535") }
                port = .port(v)
            } else {
                port = .implied
            }
            guard case let .stored(r) = try await perform(.announce(infoHash: infoHash, port: port)) else { throw unexpected() }
            return StoreReply(r)
        case "dht.endpoint":
            guard let key = p["key"].flatMap({ [UInt8](hex: $0) }), key.count == SigningKeyPair.publicKeyBytes else {
                throw .badParam("key", "expected a 64-digit hex Ed25519 public key")
            }
            return try await lookUpEndpoint(key)
        case "dht.head":
            guard let key = p["key"].flatMap({ [UInt8](hex: $0) }), key.count == SigningKeyPair.publicKeyBytes else {
                throw .badParam("key", "expected a 64-digit hex Ed25519 public key")
            }
            guard let name = p["name"], !name.isEmpty else { throw .badParam("name", "expected the model's name") }
            return try await lookUpHead(key, name: name)
        default:
            if let family = request.method.split(separator: ".").first, let route = routes[String(family)] {
                return try await route.respond(to: request)
            }
            throw .unknownMethod(request.method)
        }
    }

    private func status() async throws(ControlFailure) -> RunningNodeStatus {
        let stats = try await call { () async throws(NetError) in try await runner.stats() }
        let (nodeID, external, source, switches) = identity.snapshot
        return RunningNodeStatus(
            nodeID: nodeID.hex, externalAddress: external?.description, externalAddressSource: source?.rawValue,
            nodeIDSwitches: switches, publicKey: keyPair.publicKey.hexString, home: home, pid: getpid(),
            uptimeSeconds: Double((ContinuousClock.now - started).nanosecondCount) / 1e9,
            listen: runner.driver.localAddress.description, publishedAddresses: published.get().map(\.description),
            endpointPublications: published.publicationCounts().0, endpointStoredOn: published.publicationCounts().1,
            upnp: mapper?.status(), routingTableSize: stats.routingTableSize, traffic: await runner.driver.counters(),
            dht: DHTCounters(stats))
    }

    private func lookUpHead(_ key: [UInt8], name: String) async throws(ControlFailure) -> ModelHeadReply {
        let start = ContinuousClock.now
        do {
            let (head, lookup) = try await runner.modelHead(of: key, name: name)
            return ModelHeadReply(publicKey: key.hexString, name: head.name, manifest: head.manifest.description, arch: head.arch,
                                  bytes: head.bytes, publishedAt: head.publishedAt,
                                  lookup: LookupCost(lookup, milliseconds: Self.milliseconds(since: start)))
        } catch {
            switch error {
            case .notFound:
                throw ControlFailure(code: "not-found", message: "no head of model '\(name)' by that key in the DHT (has it run `veenode share model \(name)`?)")
            case let .invalid(reason): throw ControlFailure(code: "failed", message: reason)
            case let .dht(e): throw ControlFailure(code: "failed", message: e.description)
            }
        }
    }

    private func lookUpEndpoint(_ key: [UInt8]) async throws(ControlFailure) -> EndpointReply {
        let start = ContinuousClock.now
        let record: EndpointRecord, lookup: LookupResult
        do { (record, lookup) = try await runner.endpointRecord(of: key) } catch {
            switch error {
            case .notFound:
                throw ControlFailure(code: "not-found", message: "no endpoint record for that key in the DHT (is the node running and joined?)")
            case let .invalid(reason): throw ControlFailure(code: "failed", message: reason)
            case let .dht(e): throw ControlFailure(code: "failed", message: e.description)
            }
        }
        let cost = LookupCost(lookup, milliseconds: Self.milliseconds(since: start))
        var addresses = record.addresses
        if addresses.isEmpty, case let .nodes(r) = try await perform(.findNode(record.nodeID)),
           let exact = r.closest.first(where: { $0.contact.id == record.nodeID }) {
            addresses = [exact.contact.address]
        }
        return EndpointReply(publicKey: key.hexString, nodeID: record.nodeID.hex, addresses: addresses.map(\.description),
                             publishedAt: record.publishedAt, lookup: cost)
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start).nanosecondCount) / 1e6
    }

    private func perform(_ command: DHTCommand) async throws(ControlFailure) -> DHTResult {
        let result = try await call { () async throws(NetError) in try await runner.perform(command) }
        if case let .failed(error) = result { throw ControlFailure(code: "failed", message: error.description) }
        return result
    }

    private func call<T>(_ body: () async throws(NetError) -> T) async throws(ControlFailure) -> T {
        do { return try await body() } catch { throw ControlFailure(code: "unavailable", message: error.description) }
    }

    private func unexpected() -> ControlFailure { ControlFailure(code: "failed", message: "the DHT answered with an unexpected result") }

    private func id(_ p: [String: String], _ name: String) throws(ControlFailure) -> NodeID {
        guard let text = p[name] else { throw .badParam(name, "missing") }
        guard let id = NodeID(hex: text) else { throw .badParam(name, "expected 40 hex digits") }
        return id
    }

    private func endpoint(_ p: [String: String], _ name: String) throws(ControlFailure) -> PeerAddress {
        guard let text = p[name] else { throw .badParam(name, "missing") }
        do { return try NodeRunOptions.parseEndpoints(text).first ?? { throw NetError.badEndpoint(text, reason: "empty") }() }
        catch { throw .badParam(name, "\(error)") }
    }
}

extension ItemReply {
    init(target: String, item: DHTItem?) {
        self.target = target
        switch item {
        case nil:
            found = false
        case let .immutable(v)?:
            found = true
            value = Self.text(v)
        case let .mutable(m)?:
            found = true
            value = Self.text(m.value)
            publicKey = m.publicKey.hexString
            seq = m.seq
        }
    }

    static func text(_ v: BencodeValue) -> String {
        if let b = v.bytesValue, let s = String(validating: b, as: UTF8.self) { return s }
        return v.encoded().hexString
    }
}

/// The addresses the node publishes and how publishing went (read by `status`, written by the DHT service).
final class PublishedAddresses: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [PeerAddress] = []
    private var publications = 0
    private var lastStoredOn = 0
    func get() -> [PeerAddress] { lock.withLock { value } }
    func set(_ v: [PeerAddress]) { lock.withLock { value = v } }
    func recordPublication(storedOn: Int) { lock.withLock { publications += 1; lastStoredOn = storedOn } }
    /// (times published, nodes that stored the last publication).
    func publicationCounts() -> (Int, Int) { lock.withLock { (publications, lastStoredOn) } }
}
