import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import VeectorCrypto
import VeectorDHT
import VeectorGossip
import VeectorNet
import VeectorSession
import VeectorWire

/// Runs a node in the foreground (`veenode start`): the DHT on UDP, UPnP port mapping, the control
/// socket — three `Service`s in one swift-service-lifecycle `ServiceGroup` that shuts down gracefully
/// on SIGINT/SIGTERM in reverse order: the control socket closes (file removed), the UPnP mappings are
/// removed, the DHT snapshot is saved and the socket closed.
public enum NodeRuntime {
    /// What `start` bound, reported before the group runs (for the "listening" line).
    public struct Started: Sendable {
        /// The DHT's UDP address.
        public var listen: PeerAddress
        /// The control socket's path.
        public var controlSocket: String
        /// The node ID.
        public var nodeID: NodeID
    }

    /// Binds everything (failing early with a clear error), calls `ready`, then runs until SIGINT/SIGTERM.
    public static func run(home: NodeHome, keyPair: SigningKeyPair, options: NodeRunOptions,
                           transferOptions: TransferRunOptions = TransferRunOptions(),
                           dhtConfiguration: DHTConfiguration = DHTConfiguration(), logger: Logger,
                           ready: @Sendable (Started) -> Void) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let homePath = home.path
        // The key-derived ID; the DHT service switches to a BEP 42-valid one when it learns a public
        // external address (NodeIDPolicy). Nothing about the address is persisted: every start begins here.
        let nodeID = NodeID.derived(fromPublicKey: keyPair.publicKey, externalAddress: nil)
        let snapshotPath = homePath + "/dht.snapshot"
        let snapshot = FileManager.default.contents(atPath: snapshotPath).map { [UInt8]($0) }
        var dhtConfiguration = dhtConfiguration
        if let limit = options.dhtRateLimit {
            dhtConfiguration.rateLimit = DHTRateLimitConfiguration(packetsPerSecond: limit.packetsPerSecond, burst: limit.burst)
        }
        let runner = try await DHTRunner.start(ownID: nodeID, configuration: dhtConfiguration, snapshot: snapshot,
                                               host: options.host, port: Int(options.port), group: group, logger: logger)
        // Sessions on TCP at the DHT's port number (UPnP maps both; endpoint records name one port).
        // Sessions present this device's certificate (when the home holds one) and refuse revoked peers.
        var sessionConfiguration = SessionConfiguration(role: .responder, identity: keyPair)
        try home.sessionCredentials(now: Int64(Date().timeIntervalSince1970)).apply(to: &sessionConfiguration)
        let endpoint = SessionEndpoint(configuration: sessionConfiguration, group: group, logger: logger)
        let listener: SessionListener
        do {
            listener = try await endpoint.listen(host: options.host, port: Int(runner.driver.localAddress.port))
        } catch {
            await runner.close()
            throw NetError.bindFailed(address: "\(options.host):\(runner.driver.localAddress.port) (tcp)", reason: "\(error)")
        }
        let links = PeerLinks(endpoint: endpoint, logger: logger)
        links.setResolver { key in await runner.endpointAddresses(of: key.bytes).compactMap(\.socketAddress) }
        let control: ControlServer
        do {
            control = try await ControlServer.bind(path: homePath + "/control.sock", group: group)
        } catch {
            await listener.close()
            await runner.close()
            throw error
        }
        var mapper: UPnPPortMapper?
        if options.upnp {
            let port = runner.driver.localAddress.port
            mapper = UPnPPortMapper(mappings: [
                PortMapping(transport: .udp, externalPort: port, internalPort: port, leaseSeconds: options.upnpLeaseSeconds),
                PortMapping(transport: .tcp, externalPort: port, internalPort: port, leaseSeconds: options.upnpLeaseSeconds),
            ], rootDescriptionURL: options.upnpRootDescriptionURL, logger: logger)
        }
        let published = PublishedAddresses()
        let identity = NodeIDState(nodeID)
        var handler = NodeControlHandler(runner: runner, mapper: mapper, keyPair: keyPair, identity: identity, home: homePath,
                                         started: .now, published: published)
        handler.routes["peers"] = PeerControl(links: links)
        // Gossip on the peer sessions; candidates from the DHT's routing table (same port number on TCP).
        let gossip = GossipDriver(keys: keyPair, links: links, group: group, logger: logger,
                                  validator: { envelope, _ in ShareDelivery.verdict(envelope) }) { count in
            let entries = (try? await runner.routingEntries()) ?? []
            return entries.shuffled().prefix(count).compactMap { $0.contact.address.socketAddress }
        }
        links.register(.gossip, driver: gossip)
        gossip.start(topics: [GossipTopics.announcements] + options.gossipTopics)
        if let kind = options.misbehave {
            logger.warning("this node misbehaves on purpose (--misbehave \(kind)): for test networks only")
            gossip.misbehave(kind, keys: keyPair)
        }
        handler.routes["gossip"] = GossipControl(driver: gossip)
        // MARK: Content by ID (issue 4): the transfer channel, sharing, and `ask` answered by the daemon.
        let sessionPort = runner.driver.localAddress.port
        let discovery = TransferDriver.Discovery(
            findProviders: { content in
                guard let infoHash = content.providerInfoHash,
                      case let .peers(found)? = try? await runner.perform(.getPeers(infoHash: infoHash)) else { return [] }
                return found.peers.compactMap(\.socketAddress)
            },
            announce: { content in
                guard let infoHash = content.providerInfoHash else { return }
                _ = try? await runner.perform(.publish(.announce(infoHash: infoHash, port: .port(sessionPort))))
            })
        let transfer = TransferDriver(
            links: links, source: NodeContentSource(database: home.database, corruptChunks: transferOptions.corruptChunks),
            store: FetchStore(database: home.database), discovery: discovery, group: group,
            configuration: transferOptions.fetch, providerConfiguration: transferOptions.provide, logger: logger)
        links.register(.transfer, driver: transfer)
        let sharing = ModelSharing(database: home.database, transfer: transfer, gossip: gossip, publishHead: { head in
            do { return try await runner.publish(head, keyPair: keyPair).stored } catch {
                logger.warning("cannot publish the model's head in the DHT", metadata: ["model": "\(head.name)", "error": "\(error)"])
                return nil
            }
        }, logger: logger)
        links.spawn { await sharing.start() }
        if transferOptions.corruptChunks { logger.warning("this node serves corrupted chunks on purpose: for test networks only") }
        handler.routes["transfer"] = TransferControl(driver: transfer, sharing: sharing)
        // Documents shared over gossip (large packages by content transfer): the users' inbox topics, and the sharing commands while we hold the home.
        let documentSharing = ShareNetwork(home: home, gossip: gossip, transfer: transfer, logger: logger)
        await documentSharing.start()
        handler.routes["share"] = ShareControl(network: documentSharing)
        handler.routes["docs"] = ShareControl(network: documentSharing)
        handler.routes["ask"] = AskControl(sharing: sharing)
        // End of the content-by-ID block.
        var services: [any Service] = [
            DHTService(runner: runner, bootstrap: options.bootstrap, keyPair: keyPair, identity: identity,
                       mapper: mapper, published: published, snapshotPath: snapshotPath, logger: logger),
        ]
        if let mapper { services.append(UPnPService(mapper: mapper)) }
        services.append(PeerService(links: links, listener: listener))
        services.append(ControlService(server: control, handler: handler, logger: logger))

        ready(Started(listen: runner.driver.localAddress, controlSocket: control.path, nodeID: nodeID))
        let serviceGroup = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await serviceGroup.run()
        logger.info("node stopped")
    }

    /// Writes `bytes` to `path` through a temporary file and a rename, so a crash never leaves half a file.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(NetError) {
        let temporary = path + ".tmp"
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw NetError.file(path: path, reason: "rename failed (errno \(errno))") }
        } catch let error as NetError {
            throw error
        } catch {
            throw .file(path: path, reason: "cannot write: \(error)")
        }
    }
}
