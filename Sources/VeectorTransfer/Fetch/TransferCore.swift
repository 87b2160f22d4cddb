import ContentID
import VeectorWire

/// Fetches one piece of content by CID from several providers, as a sans-I/O state machine
/// (`Spec/transfer.md`, "Fetching"): it gets the manifest and checks it against the CID, requests
/// chunks from several providers in parallel with a window per provider, verifies each chunk
/// against its digest, re-requests a bad chunk elsewhere and bans its sender, moves slow requests
/// to other providers, prefers providers that deliver sooner (estimated throughput, latency,
/// queue and `busy` back-off), resumes from chunks already held, and ends with the whole content
/// verified against its CID or a `TransferFailure` saying why. The driver carries out the actions.
public struct TransferCore: ProtocolCore, Sendable {
    /// The events a driver feeds in.
    public typealias Event = TransferEvent
    /// The actions a driver carries out.
    public typealias Action = TransferAction

    enum Phase: Hashable, Sendable { case idle, running, checking, finished, failed }

    /// What is being fetched.
    public let request: TransferRequest
    /// The rules in force.
    public let configuration: TransferConfiguration

    var phase = Phase.idle
    var counters = TransferStats()
    var peers: [TransferPeer: FetchPeer] = [:]
    var nextOrder = 0
    /// The manifest chunks are fetched for, and which chunks are held / in flight (with whom).
    var manifest: TransferManifest?
    var held: [Bool] = []
    var heldCount = 0
    var heldBytes: UInt64 = 0
    var assigned: [Int: [TransferPeer]] = [:]
    /// Peers not to ask again for a chunk (they timed out on it or lacked it).
    var excluded: [Int: Set<TransferPeer>] = [:]
    /// Lowest index that may still be missing (the scan starts here).
    var firstMissing = 0
    var alternates: [CID: TransferManifest] = [:]
    var refusedManifests: Set<CID> = []
    var heldDigests: Set<[UInt8]>
    var wakeAt: Instant?
    var patienceDeadline: Instant?
    var lastProviderRequest: Instant?
    var failure: TransferFailure?

    /// A fetch of `request.content`. Nothing happens until the `start` event.
    public init(request: TransferRequest, configuration: TransferConfiguration = TransferConfiguration()) {
        self.request = request
        self.configuration = configuration
        heldDigests = Set(request.heldChunks.compactMap(\.sha256Digest))
    }

    /// Feeds one event at `now`; returns the actions to carry out, in order.
    public mutating func handle(_ event: TransferEvent, now: Instant, rng: inout some RandomNumberGenerator) -> [TransferAction] {
        var out: [TransferAction] = []
        guard phase != .finished, phase != .failed else { return out }
        switch event {
        case .start: begin(now: now, into: &out)
        case let .addProviders(list): add(list, now: now)
        case let .linkUp(peer): linkUp(peer, now: now, into: &out)
        case let .linkDown(peer): linkDown(peer, now: now, into: &out)
        case let .received(peer, bytes): receive(bytes, from: peer, now: now, into: &out)
        case .timer: expire(now: now, into: &out)
        case let .wholeChecked(matches): wholeChecked(matches, now: now, into: &out)
        case .cancel: fail(.cancelled, into: &out)
        }
        if phase == .running {
            connectMore(now: now, into: &out)
            schedule(now: now, into: &out)
            watchProviders(now: now, into: &out)
            arm(now: now, into: &out)
        }
        return out
    }

    /// Counters of traffic and verdicts.
    public var stats: TransferStats { counters }
    /// The manifest being fetched, once one was accepted.
    public var chosenManifest: TransferManifest? { manifest }
    /// How far the fetch has come.
    public var progress: TransferProgress {
        TransferProgress(chunksHeld: heldCount, chunkCount: manifest?.chunks.count ?? 0, bytesHeld: heldBytes,
                         totalBytes: manifest?.size ?? 0, activePeers: activePeers.count)
    }
    /// True once the whole content is verified.
    public var isFinished: Bool { phase == .finished }
    /// Why the fetch failed, if it did.
    public var failureReason: TransferFailure? { failure }
    /// Peers dropped as misbehaving (sorted).
    public var bannedPeers: [TransferPeer] {
        peers.filter { if case let .dropped(r) = $0.value.phase { r.isMisbehaviour } else { false } }.map(\.key).sorted()
    }
    /// Requests in flight to `peer`.
    public func inflight(to peer: TransferPeer) -> Int { peers[peer]?.inflight.count ?? 0 }

    /// Ready peers serving the chosen manifest, in a fixed order.
    var activePeers: [TransferPeer] {
        guard let id = manifest?.id else { return [] }
        var list: [TransferPeer] = []
        for (peer, p) in peers where p.phase == .ready && p.manifestID == id { list.append(peer) }
        return list.sorted()
    }

    mutating func begin(now: Instant, into out: inout [TransferAction]) {
        guard phase == .idle else { return }
        guard request.content.sha256Digest != nil else {
            fail(.invalidRequest(.unsupportedCID(request.content.description)), into: &out)
            return
        }
        phase = .running
        if let m = request.manifest {
            guard m.content == request.content, m.isConsistentWithContent else {
                fail(.invalidRequest(.manifestForOtherContent(m.content.description)), into: &out)
                return
            }
            adopt(m, now: now, into: &out)
        }
    }

    /// Ends the fetch with `reason`: every peer is released.
    mutating func fail(_ reason: TransferFailure, into out: inout [TransferAction]) {
        guard phase != .failed, phase != .finished else { return }
        phase = .failed
        failure = reason
        releaseAll(into: &out)
        out.append(.failed(reason))
    }

    /// Tells every connected peer to stop (cancel what is in flight) and lets the sessions go.
    mutating func releaseAll(into out: inout [TransferAction]) {
        for peer in peers.keys.sorted() where peers[peer]!.isConnected {
            if !peers[peer]!.inflight.isEmpty { send(.cancel(request.content, []), to: peer, into: &out) }
            peers[peer]!.inflight = [:]
            peers[peer]!.deadlines = [:]
            peers[peer]!.phase = .dropped(.finished)
            out.append(.disconnect(peer, reason: .finished))
        }
    }

    mutating func send(_ message: TransferMessage, to peer: TransferPeer, into out: inout [TransferAction]) {
        let bytes = message.encoded()
        counters.messagesOut += 1
        counters.bytesOut += bytes.count
        out.append(.send(to: peer, bytes: bytes))
    }
}
