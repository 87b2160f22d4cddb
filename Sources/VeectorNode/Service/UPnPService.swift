import ServiceLifecycle
import VeectorNet

/// Keeps the node's ports mapped on the LAN's UPnP gateway while the node runs (see `UPnPPortMapper`);
/// on graceful shutdown the mappings are removed before the service returns.
public struct UPnPService: Service {
    /// The mapper whose status the control socket reports.
    public let mapper: UPnPPortMapper

    /// Runs `mapper`.
    public init(mapper: UPnPPortMapper) { self.mapper = mapper }

    /// Maps, renews, and on graceful shutdown unmaps. Without a gateway it idles until shutdown (a
    /// service that returns early would stop the whole node).
    public func run() async throws {
        let mapper = self.mapper
        await cancelWhenGracefulShutdown { await mapper.run() }
        try? await gracefulShutdown()
    }
}
