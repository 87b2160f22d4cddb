import ContentID
import Logging
import NIOCore
import VeectorNet
import VeectorTransfer
import VeectorWire

/// The node's content-transfer channel (`Spec/transfer.md`) on its peer sessions: one `ProviderCore`
/// serving what the node holds (`NodeContentSource`) and one `TransferCore` per content being fetched,
/// all confined to one NIO event loop. Requests from peers go to the provider, answers to the fetch of
/// the content they name. Verified chunks are stored as they arrive (`FetchStore`), so a fetch that is
/// interrupted resumes; the whole is verified, stored as a blob, and announced as provided.
public final class TransferDriver: PeerChannelDriver, @unchecked Sendable {
    /// How the driver reaches the DHT: find the addresses announced for a content's info-hash, and
    /// announce this node as a provider (kept alive by the DHT while the node runs).
    public struct Discovery: Sendable {
        /// `get_peers` for `content.providerInfoHash`: the session addresses of its providers.
        public var findProviders: @Sendable (CID) async -> [SocketAddress]
        /// Announce (and keep announcing) this node as a provider of `content`.
        public var announce: @Sendable (CID) async -> Void

        /// Discovery through these two closures.
        public init(findProviders: @escaping @Sendable (CID) async -> [SocketAddress],
                    announce: @escaping @Sendable (CID) async -> Void) {
            self.findProviders = findProviders
            self.announce = announce
        }
    }

    let links: PeerLinks
    let loop: any EventLoop
    let clock = MonotonicClock()
    /// What this node serves.
    public let source: NodeContentSource
    let store: FetchStore
    let discovery: Discovery
    let configuration: TransferConfiguration
    let logger: Logger
    // Confined to `loop`:
    var provider: ProviderCore<NodeContentSource>
    var fetches: [CID: ActiveFetch] = [:]
    var finished: [CID: FetchStatus] = [:]
    var rng = SystemRandomNumberGenerator()

    /// A driver serving `source` and fetching into `store`'s database, on one loop of `group`.
    public init(links: PeerLinks, source: NodeContentSource, store: FetchStore, discovery: Discovery,
                group: any EventLoopGroup, configuration: TransferConfiguration = TransferConfiguration(),
                providerConfiguration: ProviderConfiguration = ProviderConfiguration(), logger: Logger) {
        self.links = links
        self.source = source
        self.store = store
        self.discovery = discovery
        self.configuration = configuration
        self.logger = logger
        loop = group.next()
        provider = ProviderCore(source: source, configuration: providerConfiguration)
    }

    /// Announces this node as a provider of `content` (which it must hold), for content that did not come
    /// by fetching it: a shared document's package, a block shared from a file.
    public func provide(_ content: CID) async {
        await discovery.announce(content)
    }

    /// Receives the transfer channel's events from `PeerLinks` and hands them to the loop.
    public func peerEvent(_ event: PeerLinkEvent) {
        loop.execute { self.handle(event) }
    }

    func handle(_ event: PeerLinkEvent) {
        switch event {
        case let .data(key, bytes):
            guard let peer = try? TransferPeer(publicKey: key.bytes) else { return }
            if TransferMessage.isRequest(bytes) {
                apply(provider.handle(.received(from: peer, bytes: bytes), now: clock.now(), rng: &rng))
            } else if let content = TransferMessage.content(of: bytes), fetches[content] != nil {
                feed(content, .received(from: peer, bytes: bytes))
            }
        case let .sessionDown(key):
            guard let peer = try? TransferPeer(publicKey: key.bytes) else { return }
            apply(provider.handle(.linkDown(peer), now: clock.now(), rng: &rng))
            for (content, fetch) in fetches where fetch.linked.contains(peer) {
                fetch.linked.remove(peer)
                feed(content, .linkDown(peer))
            }
        case .sessionUp, .opened, .closed:
            break
        }
    }

    /// Carries out the provider's actions.
    func apply(_ actions: [ProviderAction]) {
        for action in actions {
            switch action {
            case let .send(peer, bytes):
                guard let key = PeerKey(peer.publicKey) else { continue }
                let sent = links.send(.transfer, .data, bytes, to: key) { [self] _ in
                    loop.execute { self.apply(self.provider.handle(.sendCompleted(to: peer), now: self.clock.now(), rng: &self.rng)) }
                }
                if !sent { apply(provider.handle(.linkDown(peer), now: clock.now(), rng: &rng)) }
            case let .disconnect(peer, reason):
                guard let key = PeerKey(peer.publicKey) else { continue }
                logger.info("transfer: closing a peer that broke the protocol", metadata: ["peer": "\(key)", "reason": "\(reason)"])
                links.close(key, reason: reason)
            }
        }
    }
}
