import ContentID
import VeectorTransfer
import VeectorWire

/// A small in-memory network for the cores' tests: one real `TransferCore` fetching from real
/// `ProviderCore`s, with virtual time, per-provider latency and uplink bandwidth, and providers
/// that can corrupt chunks, lie about the manifest or vanish. Messages travel as encoded bytes.
final class Swarm {
    struct Provider {
        let key: TransferPeer
        var core: ProviderCore<MemorySource>
        var bytesPerSecond: Double
        var latency: Duration
        /// Flip one byte of every chunk it sends.
        var corrupt = false
        var up = true
        var linked = false
        var epoch = 0
        var uplinkFree: Instant = .zero
    }

    enum Item {
        case toFetcher(Int, epoch: Int, [UInt8])
        case toProvider(Int, epoch: Int, [UInt8])
        case sendCompleted(Int, epoch: Int)
        case linkResult(Int, up: Bool)
        case timer
        case vanish(Int)
        case call(() -> Void)
    }

    var fetcher: TransferCore
    var providers: [Provider] = []
    var now: Instant = .zero
    var queue: [(time: Instant, seq: Int, item: Item)] = []
    var seq = 0
    var rng = SeededGenerator(seed: 99)
    var stored: [Int: [UInt8]] = [:]
    var finished: TransferManifest?
    var failed: TransferFailure?
    var needProviders = 0
    var disconnects: [(TransferPeer, TransferDropReason)] = []
    var providerDisconnects: [String] = []
    /// Stop feeding the fetcher (a crash) once it holds this many chunks.
    var crashAfterChunks: Int?
    var crashed = false

    init(request: TransferRequest, configuration: TransferConfiguration = TransferConfiguration()) {
        fetcher = TransferCore(request: request, configuration: configuration)
    }

    /// Adds a provider holding `source`; returns its index.
    @discardableResult
    func addProvider(_ source: MemorySource, bytesPerSecond: Double = 4_000_000, latency: Duration = .milliseconds(20),
                     configuration: ProviderConfiguration = ProviderConfiguration()) -> Int {
        providers.append(Provider(key: peerKey(providers.count), core: ProviderCore(source: source, configuration: configuration),
                                  bytesPerSecond: bytesPerSecond, latency: latency))
        return providers.count - 1
    }

    func index(of peer: TransferPeer) -> Int? { providers.firstIndex { $0.key == peer } }

    func at(_ time: Instant, _ item: Item) {
        queue.append((time, seq, item))
        seq += 1
    }

    /// Feeds the fetcher `event` now and carries out its actions.
    func feed(_ event: TransferEvent) {
        guard !crashed else { return }
        let actions = fetcher.handle(event, now: now, rng: &rng)
        for action in actions {
            switch action {
            case let .connect(peer):
                guard let i = index(of: peer) else { continue }
                let p = providers[i]
                at(now.advanced(by: p.latency * 2), .linkResult(i, up: p.up))
            case let .send(peer, bytes):
                guard let i = index(of: peer), providers[i].linked else { continue }
                at(now.advanced(by: providers[i].latency), .toProvider(i, epoch: providers[i].epoch, bytes))
            case let .disconnect(peer, reason):
                disconnects.append((peer, reason))
                if let i = index(of: peer) { closeLink(i) }
            case let .setTimer(_, time):
                at(max(time, now), .timer)
            case let .store(index, bytes):
                stored[index] = bytes
                if let limit = crashAfterChunks, stored.count >= limit { crashed = true }
            case let .checkWhole(m):
                var hasher = ContentHasher()
                for i in m.chunks.indices { hasher.update(stored[i] ?? []) }
                let matches = hasher.finalize() == m.content
                at(now, .call { [unowned self] in self.feed(.wholeChecked(matches: matches)) })
            case .needProviders:
                needProviders += 1
            case .progress:
                break
            case let .finished(m):
                finished = m
            case let .failed(reason):
                failed = reason
            }
        }
    }

    func closeLink(_ i: Int) {
        guard providers[i].linked else { return }
        providers[i].linked = false
        providers[i].epoch += 1
        _ = providers[i].core.handle(.linkDown(fetcherKey), now: now, rng: &rng)
    }

    let fetcherKey = peerKey(1_000)

    func feedProvider(_ i: Int, _ event: ProviderEvent) {
        let actions = providers[i].core.handle(event, now: now, rng: &rng)
        for action in actions {
            switch action {
            case var .send(_, bytes):
                if providers[i].corrupt, case let .chunk(c, index, data)? = try? TransferMessage(decoding: bytes) {
                    var bad = data
                    bad[bad.count / 2] ^= 0x5A
                    bytes = TransferMessage.chunk(c, index: index, bytes: bad).encoded()
                }
                let p = providers[i]
                let departure = max(now, p.uplinkFree).advanced(by: .nanoseconds(Int64(Double(bytes.count) / p.bytesPerSecond * 1e9)))
                providers[i].uplinkFree = departure
                at(departure, .sendCompleted(i, epoch: p.epoch))
                at(departure.advanced(by: p.latency), .toFetcher(i, epoch: p.epoch, bytes))
            case let .disconnect(_, reason):
                providerDisconnects.append(reason)
                if providers[i].linked { providers[i].linked = false; providers[i].epoch += 1; feed(.linkDown(providers[i].key)) }
            }
        }
    }

    /// Runs until the fetch ends, nothing is left to do, or `limit` of virtual time passes.
    func run(limit: Duration = .seconds(600)) {
        let end = Instant.zero.advanced(by: limit)
        if now == .zero, fetcherNotStarted {
            fetcherNotStarted = false
            feed(.addProviders(providers.map(\.key)))
            feed(.start)
        }
        while finished == nil, failed == nil, !crashed, !queue.isEmpty {
            let k = queue.indices.min { (queue[$0].time, queue[$0].seq) < (queue[$1].time, queue[$1].seq) }!
            let (time, _, item) = queue.remove(at: k)
            guard time <= end else { break }
            now = time
            switch item {
            case let .toFetcher(i, epoch, bytes):
                if providers[i].linked, providers[i].epoch == epoch { feed(.received(from: providers[i].key, bytes: bytes)) }
            case let .toProvider(i, epoch, bytes):
                if providers[i].linked, providers[i].epoch == epoch, providers[i].up { feedProvider(i, .received(from: fetcherKey, bytes: bytes)) }
            case let .sendCompleted(i, epoch):
                if providers[i].linked, providers[i].epoch == epoch { feedProvider(i, .sendCompleted(to: fetcherKey)) }
            case let .linkResult(i, up):
                if up && providers[i].up {
                    providers[i].linked = true
                    feed(.linkUp(providers[i].key))
                } else {
                    feed(.linkDown(providers[i].key))
                }
            case .timer:
                feed(.timer(.wake))
            case let .vanish(i):
                providers[i].up = false
                if providers[i].linked { closeLink(i); feed(.linkDown(providers[i].key)) }
            case let .call(f):
                f()
            }
        }
    }
    var fetcherNotStarted = true

    /// The fetched content as stored, in order.
    func assembled(_ m: TransferManifest) -> [UInt8] { m.chunks.indices.flatMap { stored[$0] ?? [] } }
}
