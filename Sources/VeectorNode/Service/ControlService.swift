import Logging
import ServiceLifecycle
import VeectorNet

/// Runs the node's control socket (`control.sock` in the home) inside the node's service group: serves
/// requests until graceful shutdown, then closes the socket and removes its file.
public struct ControlService: Service {
    let server: ControlServer
    let handler: any ControlHandler
    let logger: Logger

    /// Serves `server` with `handler`.
    public init(server: ControlServer, handler: any ControlHandler, logger: Logger) {
        self.server = server
        self.handler = handler
        self.logger = logger
    }

    /// Serves until graceful shutdown.
    public func run() async throws {
        let server = self.server, handler = self.handler, logger = self.logger
        await cancelWhenGracefulShutdown { await server.run(handler: handler, logger: logger) }
        logger.info("control socket closed")
        try? await gracefulShutdown()
    }
}
