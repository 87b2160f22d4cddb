import Foundation
import Logging
import NIOPosix
import VeectorWire

/// Keeps a node's ports forwarded on the LAN's UPnP gateway for as long as the node runs: finds the
/// gateway, maps each port (trying a few neighbouring external ports when one is taken), renews the
/// mappings at half their lease, and removes them when `run()` is cancelled (the node's shutdown).
/// When there is no gateway the node carries on without one; `status()` says what happened.
public final class UPnPPortMapper: Sendable {
    /// What `veenode status` shows about UPnP.
    public struct Status: Codable, Sendable, Equatable {
        /// `searching`, `mapped`, `unavailable` or `stopped`.
        public var state: String
        /// The gateway's control URL, once found.
        public var gateway: String?
        /// The gateway's public address, once known.
        public var externalAddress: String?
        /// The mappings in force.
        public var mappings: [PortMapping]
        /// How many times the mappings were renewed.
        public var renewals: Int
        /// Why UPnP is unavailable, or the last renewal failure.
        public var lastError: String?
    }

    private let wanted: [PortMapping]
    private let rootDescriptionURL: String?
    private let discoveryDelayMilliseconds: Int32
    private let logger: Logger
    private let state: LockedStatus

    /// Prepares to map `ports` (internal = external port wished for). `rootDescriptionURL` skips SSDP
    /// discovery and reads that gateway directly.
    public init(mappings: [PortMapping], rootDescriptionURL: String? = nil, discoveryDelayMilliseconds: Int32 = 2000,
                logger: Logger) {
        wanted = mappings
        self.rootDescriptionURL = rootDescriptionURL
        self.discoveryDelayMilliseconds = discoveryDelayMilliseconds
        self.logger = logger
        state = LockedStatus(Status(state: "searching", mappings: [], renewals: 0))
    }

    /// The current UPnP state.
    public func status() -> Status { state.get() }

    /// Finds the gateway, maps, renews until the task is cancelled, then removes the mappings.
    public func run() async {
        let url = rootDescriptionURL, delay = discoveryDelayMilliseconds
        let gateway: UPnPGateway
        let external: IPv4Address
        do {
            (gateway, external) = try await Self.blocking { () throws(NetError) in
                let g: UPnPGateway
                if let url { g = try UPnPGateway.fromRootDescription(url: url) } else {
                    g = try UPnPGateway.discover(delayMilliseconds: delay)
                }
                return Found(gateway: g, external: try g.externalAddress())
            }.pair
        } catch {
            return unavailable("\(error)")
        }
        guard !Task.isCancelled else { return }
        state.update { $0.gateway = gateway.controlURL; $0.externalAddress = external.description }
        logger.info("UPnP gateway found", metadata: ["control": "\(gateway.controlURL)", "external": "\(external)"])

        let wanted = self.wanted
        let mapped: [PortMapping]
        do {
            mapped = try await Self.blocking { () throws(NetError) in try Self.mapAll(wanted, on: gateway) }
        } catch {
            return unavailable("\(error)")
        }
        state.update { $0.state = "mapped"; $0.mappings = mapped }
        for m in mapped {
            logger.notice("UPnP mapped \(m.transport.rawValue) \(external):\(m.externalPort) → \(gateway.lanAddress):\(m.internalPort)")
        }

        let lease = mapped.map(\.leaseSeconds).filter { $0 > 0 }.min()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(max(1, (lease ?? 3600) / 2)))
            } catch { break }
            guard lease != nil else { continue }
            do {
                try await Self.blocking { () throws(NetError) in
                    for m in mapped { try gateway.add(m) }
                }
                state.update { $0.renewals += 1; $0.lastError = nil }
            } catch {
                logger.warning("UPnP renewal failed: \(error)")
                state.update { $0.lastError = "\(error)" }
            }
        }
        // Shutting down: remove what we added (blocking, briefly; the node is stopping anyway).
        for m in mapped {
            do throws(NetError) {
                try gateway.remove(externalPort: m.externalPort, transport: m.transport)
            } catch {
                logger.warning("UPnP: could not remove a mapping: \(error)")
            }
        }
        state.update { $0.state = "stopped"; $0.mappings = [] }
        logger.info("UPnP mappings removed")
    }

    /// Maps every wanted port, trying the wished external port and the next three; all-or-nothing.
    static func mapAll(_ wanted: [PortMapping], on gateway: UPnPGateway) throws(NetError) -> [PortMapping] {
        var done: [PortMapping] = []
        for w in wanted {
            var lastError: NetError?
            var success: PortMapping?
            for offset in 0..<4 where w.externalPort &+ UInt16(offset) != 0 {
                var m = w
                m.externalPort = w.externalPort &+ UInt16(offset)
                do throws(NetError) {
                    try gateway.add(m)
                    success = m
                    break
                } catch { lastError = error }
            }
            guard let m = success else {
                for d in done { try? gateway.remove(externalPort: d.externalPort, transport: d.transport) }
                throw lastError ?? .upnp(operation: "AddPortMapping", reason: "no port could be mapped")
            }
            done.append(m)
        }
        return done
    }

    /// Runs blocking miniupnpc work on NIO's thread pool.
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(NetError) -> T) async throws(NetError) -> T {
        let outcome: Result<T, NetError>
        do {
            outcome = try await NIOThreadPool.singleton.runIfActive { () -> Result<T, NetError> in
                do throws(NetError) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            throw .upnp(operation: "scheduling", reason: "the thread pool is shut down")
        }
        return try outcome.get()
    }

    private func unavailable(_ reason: String) {
        logger.notice("UPnP unavailable, carrying on without a port mapping: \(reason)")
        state.update { $0.state = "unavailable"; $0.lastError = reason }
    }
}

/// A gateway and its public address.
private struct Found: Sendable {
    let gateway: UPnPGateway
    let external: IPv4Address
    var pair: (UPnPGateway, IPv4Address) { (gateway, external) }
}

/// The mapper's status behind a lock (read by the control socket, written by `run()`).
private final class LockedStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UPnPPortMapper.Status
    init(_ value: UPnPPortMapper.Status) { self.value = value }
    func get() -> UPnPPortMapper.Status { lock.withLock { value } }
    func update(_ body: (inout UPnPPortMapper.Status) -> Void) { lock.withLock { body(&value) } }
}
