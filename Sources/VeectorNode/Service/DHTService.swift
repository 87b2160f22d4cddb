import Foundation
import Logging
import ServiceLifecycle
import VeectorCrypto
import VeectorDHT
import VeectorNet
import VeectorWire

/// The DHT inside the node's service group: joins the network through the bootstrap nodes (retrying
/// every few seconds while none answers), publishes the node's signed endpoint record, and on graceful
/// shutdown saves the routing table and owned records to `dht.snapshot` in the home and closes the socket.
/// While it runs it keeps the node ID right for what the node knows of its external address
/// (`NodeIDPolicy`): on a switch it rebuilds the core around the new ID, bootstraps again and republishes
/// the endpoint record under the new ID.
public struct DHTService: Service {
    let runner: DHTRunner
    let bootstrap: [PeerAddress]
    let keyPair: SigningKeyPair
    let identity: NodeIDState
    var policy = NodeIDPolicy()
    let mapper: UPnPPortMapper?
    let published: PublishedAddresses
    let snapshotPath: String
    let logger: Logger

    /// Joins, publishes, waits for shutdown, saves, closes.
    public func run() async throws {
        let service = self
        await cancelWhenGracefulShutdown { await service.joinAndPublish() }
        try? await gracefulShutdown()
        do throws(NetError) {
            let bytes = try await runner.snapshot()
            try NodeRuntime.writeAtomically(bytes, to: snapshotPath)
            logger.info("DHT snapshot saved", metadata: ["bytes": "\(bytes.count)"])
        } catch {
            logger.warning("could not save the DHT snapshot: \(error)")
        }
        await runner.close()
    }

    private func joinAndPublish() async {
        if !bootstrap.isEmpty {
            while !Task.isCancelled {
                do throws(NetError) {
                    let result = try await runner.perform(.bootstrap(bootstrap))
                    if case let .bootstrapped(report) = result, report.answered > 0 {
                        logger.notice("joined the DHT", metadata: ["answered": "\(report.answered)", "routingTable": "\(report.routingTableSize)"])
                        break
                    }
                    logger.warning("no bootstrap node answered; retrying in 3 s", metadata: ["result": "\(result)"])
                } catch {
                    return
                }
                do { try await Task.sleep(for: .seconds(3)) } catch { return }
            }
        }
        // Let UPnP settle (a few seconds at most) so the record carries the public address.
        if let mapper {
            for _ in 0..<50 where mapper.status().state == "searching" {
                do { try await Task.sleep(for: .milliseconds(100)) } catch { return }
            }
        }
        let addresses = endpointAddresses()
        published.set(addresses)
        // Publish once some node can store it (a first node waits for others to join), retrying every
        // few seconds until at least one node has stored it. A record published into a small network sits
        // on nodes that stop being the closest as the network grows, so publish again whenever the routing
        // table has doubled since (the core's own republishing every 30 minutes covers the rest).
        var publishedAtSize = 0
        while !Task.isCancelled {
            do throws(NetError) {
                // A new ID invalidates the published record (it names the ID): publish again at once.
                if try await keepNodeIDRight() { publishedAtSize = 0 }
                let size = try await runner.stats().routingTableSize
                if size > 0, publishedAtSize == 0 || size >= 2 * publishedAtSize {
                    let record = EndpointRecord(nodeID: identity.current, addresses: addresses,
                                                publishedAt: Int64(Date().timeIntervalSince1970))
                    let result = try await runner.perform(.publish(.mutable(record.signed(with: keyPair))))
                    if case let .stored(report) = result, report.stored > 0 {
                        publishedAtSize = size
                        published.recordPublication(storedOn: report.stored)
                        logger.info("published the endpoint record", metadata: [
                            "stored": "\(report.stored)", "asked": "\(report.asked)", "routingTable": "\(size)"])
                    } else {
                        logger.debug("endpoint record not stored yet", metadata: ["result": "\(result)"])
                    }
                }
            } catch {
                return
            }
            do { try await Task.sleep(for: .seconds(publishedAtSize == 0 ? 1 : 3)) } catch { return }
        }
    }

    /// Asks `NodeIDPolicy` whether the ID fits the external address the node now knows (a majority of
    /// DHT responders, else the UPnP gateway's); if not, switches the core to the key-derived BEP 42 ID
    /// and bootstraps again through the nodes it knew. Returns true when it switched.
    private func keepNodeIDRight() async throws(NetError) -> Bool {
        let (current, reports) = try await runner.identityState()
        let upnp = mapper?.status().externalAddress.flatMap(IPv4Address.init)
        guard case let .switchTo(newID, ip, source) = policy.decide(publicKey: keyPair.publicKey, current: current,
                                                                    reports: reports, upnpExternal: upnp) else { return false }
        let known = try await runner.routingEntries().map(\.contact)
            .sorted { newID.distance(to: $0.id) < newID.distance(to: $1.id) }.map(\.address)
        let carried = try await runner.switchID(to: newID)
        identity.switched(to: newID, externalAddress: ip, via: source)
        logger.notice("switched the node ID for the external address (BEP 42)", metadata: [
            "from": "\(current)", "to": "\(newID)", "externalAddress": "\(ip)", "source": "\(source.rawValue)",
            "routingTable": "\(carried)"])
        var again = Array(known.prefix(24))
        for b in bootstrap where !again.contains(b) { again.append(b) }
        if !again.isEmpty {
            let result = try await runner.perform(.bootstrap(again))
            logger.info("bootstrapped again under the new ID", metadata: ["result": "\(result)"])
        }
        return true
    }

    /// The UPnP-mapped public address first, then the bound address when it is a specific one.
    private func endpointAddresses() -> [PeerAddress] {
        var result: [PeerAddress] = []
        if let s = mapper?.status(), s.state == "mapped", let ext = s.externalAddress.flatMap(IPv4Address.init),
           let udp = s.mappings.first(where: { $0.transport == .udp }) {
            result.append(PeerAddress(ip: ext, port: udp.externalPort))
        }
        let local = runner.driver.localAddress
        if local.ip.value != 0 { result.append(local) }
        return result
    }
}
