import ContentID
import VeectorWire

/// Serves content to fetching peers, as a sans-I/O state machine (`Spec/transfer.md`,
/// "Serving"): answers manifest requests and wants from a `ContentSource`, queues wanted chunks
/// per peer and sends them a few at a time (the driver reports each send), says `dontHave` for what
/// it lacks and `busy` (with a retry-after) when a peer's or the total queue is full, drops
/// cancelled chunks, rate-limits requests and disconnects peers that send malformed requests.
public struct ProviderCore<Source: ContentSource>: ProtocolCore {
    /// The events a driver feeds in.
    public typealias Event = ProviderEvent
    /// The actions a driver carries out.
    public typealias Action = ProviderAction

    struct Served {
        var queue: [(content: CID, index: Int)] = []
        var head = 0
        var outstanding = 0
        var windowStart: Instant = .zero
        var messagesInWindow = 0
        var queued: Int { queue.count - head }
        var isActive: Bool { queued > 0 || outstanding > 0 }
    }

    /// Where chunks and manifests come from.
    public var source: Source
    /// The limits in force.
    public let configuration: ProviderConfiguration
    var counters = ProviderStats()
    var served: [TransferPeer: Served] = [:]
    var totalQueued = 0

    /// A provider serving from `source`.
    public init(source: Source, configuration: ProviderConfiguration = ProviderConfiguration()) {
        self.source = source
        self.configuration = configuration
    }

    /// Counters of what was served and refused.
    public var stats: ProviderStats { counters }
    /// Chunks queued for `peer` (not yet handed to the driver).
    public func queued(for peer: TransferPeer) -> Int { served[peer]?.queued ?? 0 }
    /// Peers with a queue or sends outstanding.
    public var activePeerCount: Int { countActive(upTo: .max) }

    /// Peers with a queue or sends outstanding, counted up to `limit` (a plain loop: this runs for
    /// every request, and the table holds every peer with an open session).
    func countActive(upTo limit: Int) -> Int {
        var n = 0
        for state in served.values where state.isActive {
            n += 1
            if n >= limit { break }
        }
        return n
    }

    /// Feeds one event at `now`; returns the actions to carry out, in order.
    public mutating func handle(_ event: ProviderEvent, now: Instant, rng: inout some RandomNumberGenerator) -> [ProviderAction] {
        var out: [ProviderAction] = []
        switch event {
        case let .received(peer, bytes): receive(bytes, from: peer, now: now, into: &out)
        case let .sendCompleted(peer):
            guard served[peer] != nil else { break }
            served[peer]!.outstanding = max(0, served[peer]!.outstanding - 1)
            pump(peer, into: &out)
        case let .linkDown(peer): forget(peer)
        }
        return out
    }

    mutating func receive(_ bytes: [UInt8], from peer: TransferPeer, now: Instant, into out: inout [ProviderAction]) {
        counters.requestsIn += 1
        var state = served[peer] ?? Served(windowStart: now)
        if now >= state.windowStart.advanced(by: configuration.rateInterval) {
            state.windowStart = now
            state.messagesInWindow = 0
        }
        state.messagesInWindow += 1
        if state.messagesInWindow > configuration.maxMessagesPerInterval {
            counters.rateLimited += 1
            if state.messagesInWindow > 2 * configuration.maxMessagesPerInterval {
                disconnect(peer, "more than \(2 * configuration.maxMessagesPerInterval) requests in \(configuration.rateInterval)", into: &out)
            } else {
                served[peer] = state
            }
            return
        }
        let message: TransferMessage
        do { message = try TransferMessage(decoding: bytes, limit: configuration.maxRequestBytes) } catch {
            disconnect(peer, error.description, into: &out)
            return
        }
        served[peer] = state
        if case let .want(content, list) = message, !state.isActive,
           countActive(upTo: configuration.maxPeers) >= configuration.maxPeers {
            counters.busyReplies += 1
            counters.chunksRefused += list.count
            reply(.busy(content, retryAfterMilliseconds: retryAfterMilliseconds, list), to: peer, into: &out)
            return
        }
        switch message {
        case let .manifestRequest(content):
            guard let m = source.manifest(for: content) else {
                counters.dontHaves += 1
                reply(.dontHave(content, []), to: peer, into: &out)
                break
            }
            counters.manifestsServed += 1
            reply(.manifest(m), to: peer, into: &out)
            if let ranges = source.heldRanges(of: content) {
                reply(.have(content, Array(ranges.prefix(TransferLimits.maxRangesPerMessage))), to: peer, into: &out)
            }
        case let .want(content, list): want(content, list, from: peer, into: &out)
        case let .cancel(content, list): cancel(content, list, for: peer)
        default:
            disconnect(peer, "sent an answer (\(message.kindName)) where a request was expected", into: &out)
            return
        }
    }

    /// Queues what is held and fits; `dontHave` for the rest that is missing, `busy` for the rest
    /// that does not fit.
    mutating func want(_ content: CID, _ list: [Int], from peer: TransferPeer, into out: inout [ProviderAction]) {
        let manifest = source.manifest(for: content)
        let ranges = source.heldRanges(of: content)
        var missing: [Int] = [], refused: [Int] = []
        var state = served[peer]!
        let already = Set(state.queue[state.head...].filter { $0.content == content }.map(\.index))
        for index in list where !already.contains(index) {
            guard let m = manifest, index < m.chunks.count, ranges.map({ $0.contains { $0.contains(index) } }) ?? true else {
                missing.append(index)
                continue
            }
            guard state.queued < configuration.maxQueuedPerPeer, totalQueued < configuration.maxQueuedTotal else {
                refused.append(index)
                continue
            }
            state.queue.append((content, index))
            totalQueued += 1
        }
        served[peer] = state
        if !missing.isEmpty { counters.dontHaves += 1; reply(.dontHave(content, missing), to: peer, into: &out) }
        if !refused.isEmpty {
            counters.busyReplies += 1
            counters.chunksRefused += refused.count
            reply(.busy(content, retryAfterMilliseconds: retryAfterMilliseconds, refused), to: peer, into: &out)
        }
        pump(peer, into: &out)
    }

    /// Drops queued chunks of `content` for `peer` (all of them when `list` is empty).
    mutating func cancel(_ content: CID, _ list: [Int], for peer: TransferPeer) {
        guard var state = served[peer] else { return }
        let drop = Set(list)
        let before = state.queued
        let kept = state.queue[state.head...].filter { !($0.content == content && (drop.isEmpty || drop.contains($0.index))) }
        state.queue = Array(kept)
        state.head = 0
        counters.cancelled += before - state.queued
        totalQueued -= before - state.queued
        served[peer] = state
    }

    /// Hands queued chunks to the driver while `peer`'s send window has room.
    mutating func pump(_ peer: TransferPeer, into out: inout [ProviderAction]) {
        guard var state = served[peer] else { return }
        while state.outstanding < configuration.sendWindow, state.head < state.queue.count {
            let (content, index) = state.queue[state.head]
            state.head += 1
            totalQueued -= 1
            guard let bytes = source.chunk(of: content, index: index) else {
                counters.dontHaves += 1
                reply(.dontHave(content, [index]), to: peer, into: &out)
                continue
            }
            counters.chunksServed += 1
            counters.bytesServed += bytes.count
            state.outstanding += 1
            reply(.chunk(content, index: index, bytes: bytes), to: peer, into: &out)
        }
        if state.head > 64, state.head * 2 > state.queue.count {
            state.queue.removeFirst(state.head)
            state.head = 0
        }
        served[peer] = state
    }

    mutating func forget(_ peer: TransferPeer) {
        if let state = served.removeValue(forKey: peer) { totalQueued -= state.queued }
    }

    mutating func disconnect(_ peer: TransferPeer, _ reason: String, into out: inout [ProviderAction]) {
        forget(peer)
        counters.peersDisconnected += 1
        out.append(.disconnect(peer, reason: reason))
    }

    func reply(_ message: TransferMessage, to peer: TransferPeer, into out: inout [ProviderAction]) {
        out.append(.send(to: peer, bytes: message.encoded()))
    }

    /// The back-off `busy` asks for: the minimum, longer as the total queue fills.
    var retryAfterMilliseconds: Int {
        let base = Int(configuration.busyRetryAfter.nanosecondCount / 1_000_000)
        return base + base * totalQueued / max(1, configuration.maxQueuedTotal)
    }
}

extension TransferMessage {
    /// The chunk indices a request names (none for a manifest request).
    var requestedIndices: [Int] {
        switch self {
        case let .want(_, list), let .cancel(_, list): list
        default: []
        }
    }

    /// The kind's name, for error messages.
    var kindName: String {
        switch self {
        case .manifestRequest: "manifestRequest"
        case .manifest: "manifest"
        case .want: "want"
        case .have: "have"
        case .dontHave: "dontHave"
        case .chunk: "chunk"
        case .busy: "busy"
        case .cancel: "cancel"
        }
    }
}
