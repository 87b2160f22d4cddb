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
public struct DHTService: Service {
    let runner: DHTRunner
    let bootstrap: [PeerAddress]
    let keyPair: SigningKeyPair
    let nodeID: NodeID
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
        let record = EndpointRecord(nodeID: nodeID, addresses: addresses, publishedAt: Int64(Date().timeIntervalSince1970))
        // Publish once some node can store it (a first node waits for others to join), retrying every
        // few seconds until at least one node has stored it. A record published into a small network sits
        // on nodes that stop being the closest as the network grows, so publish again whenever the routing
        // table has doubled since (the core's own republishing every 30 minutes covers the rest).
        var publishedAtSize = 0
        while !Task.isCancelled {
            do throws(NetError) {
                let size = try await runner.stats().routingTableSize
                if size > 0, publishedAtSize == 0 || size >= 2 * publishedAtSize {
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
