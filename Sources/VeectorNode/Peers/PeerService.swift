import Logging
import NIOCore
import ServiceLifecycle
import VeectorNet
import VeectorWire

/// The node's peer sessions in its service group: accepts sessions on the node's TCP port (the same
/// number as the DHT's UDP port), carries every channel's messages, and on graceful shutdown closes
/// every session and the listening socket.
public struct PeerService: Service {
    /// The session registry the channel drivers use.
    public let links: PeerLinks
    let listener: SessionListener

    /// A service serving `listener`'s sessions through `links`.
    public init(links: PeerLinks, listener: SessionListener) {
        self.links = links
        self.listener = listener
    }

    /// Serves until graceful shutdown.
    public func run() async throws {
        let links = self.links, listener = self.listener
        await cancelWhenGracefulShutdown { await links.run(listener: listener) }
    }
}

extension PeerAddress {
    /// The same address as a NIO socket address (the TCP side of a node's endpoint).
    public var socketAddress: SocketAddress? { try? SocketAddress(ipAddress: ip.description, port: Int(port)) }
}
