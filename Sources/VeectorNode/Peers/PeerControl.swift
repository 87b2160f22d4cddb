import VeectorNet

/// Answers `peers.sessions` on the control socket: the open peer sessions and their counters.
struct PeerControl: ControlHandler {
    let links: PeerLinks

    /// What `peers.sessions` returns.
    struct Sessions: Codable, Sendable {
        /// Keys (hex) with a session now.
        var connected: [String]
        /// Graylisted keys (hex) and the seconds left.
        var refused: [String: Int]
        /// The counters.
        var statistics: PeerLinkStatistics
    }

    func respond(to request: ControlRequest) async throws(ControlFailure) -> any Encodable & Sendable {
        switch request.method {
        case "peers.sessions":
            return Sessions(connected: links.connectedPeers.map(\.hex),
                            refused: Dictionary(links.refusedPeers.map { ($0.0.hex, $0.1) }, uniquingKeysWith: { a, _ in a }),
                            statistics: links.statistics)
        default:
            throw .unknownMethod(request.method)
        }
    }
}
