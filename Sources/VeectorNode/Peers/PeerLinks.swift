import Logging
import NIOConcurrencyHelpers
import NIOCore
import VeectorNet
import VeectorSession

/// The node's encrypted sessions with other peers — at most one per peer key, dialled or accepted —
/// shared by every channel (gossip, transfer; see `PeerChannel`). It routes each incoming message to
/// its channel's driver, keeps one ordered outbound queue per session, dials peers by address or by
/// key (through a resolver such as the DHT's endpoint records), refuses graylisted keys, and closes
/// sessions no channel has used for a while.
///
/// Two peers that dial each other at the same moment end up with one session: the one whose
/// initiator has the smaller key is kept on both sides (`Spec/wire.md`, "Channels").
public final class PeerLinks: Sendable {
    /// This node's key.
    public let ownKey: PeerKey
    let endpoint: SessionEndpoint
    let logger: Logger
    let idleLimit: Duration
    let state = NIOLockedValueBox(State())
    let jobs: AsyncStream<@Sendable () async -> Void>
    let jobsInput: AsyncStream<@Sendable () async -> Void>.Continuation

    /// A message waiting for its session's writer, and whom to tell when the session took it.
    struct Outgoing: Sendable {
        var bytes: [UInt8]
        var onSent: (@Sendable (Bool) -> Void)?
    }

    /// One live session.
    struct Entry: Sendable {
        let id: UInt64
        let key: PeerKey
        let session: Session
        let initiatedByUs: Bool
        let outbound: AsyncStream<Outgoing>.Continuation
        let queue: AsyncStream<Outgoing>
        var lastUse: NIODeadline
        var holds: Set<PeerChannel> = []
    }

    struct State {
        var sessions: [PeerKey: Entry] = [:]
        var addresses: [PeerKey: [SocketAddress]] = [:]
        var refused: [PeerKey: NIODeadline] = [:]
        var drivers: [PeerChannel: any PeerChannelDriver] = [:]
        var dialing: [PeerKey: [CheckedContinuation<Result<Void, PeerLinkError>, Never>]] = [:]
        /// Dials in progress by address, with the callers waiting on each (one dial per address at a time).
        var dialingAddresses: [SocketAddress: [CheckedContinuation<Result<PeerKey, PeerLinkError>, Never>]] = [:]
        var resolver: (@Sendable (PeerKey) async -> [SocketAddress])?
        var nextID: UInt64 = 0
        var stopped = false
        var statistics = PeerLinkStatistics()
    }

    /// Sessions for `endpoint`'s identity; a session no channel holds is closed after `idleLimit` unused.
    public init(endpoint: SessionEndpoint, idleLimit: Duration = .seconds(90), logger: Logger) {
        self.endpoint = endpoint
        ownKey = PeerKey(endpoint.configuration.identity.publicKey)!
        self.idleLimit = idleLimit
        self.logger = logger
        (jobs, jobsInput) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
    }

    /// Routes `channel`'s messages to `driver` (set each channel once, before `run`).
    public func register(_ channel: PeerChannel, driver: any PeerChannelDriver) {
        state.withLockedValue { $0.drivers[channel] = driver }
    }

    /// How to find addresses for a key with no session and no known address (the DHT's endpoint records).
    public func setResolver(_ resolver: @escaping @Sendable (PeerKey) async -> [SocketAddress]) {
        state.withLockedValue { $0.resolver = resolver }
    }

    /// Runs `job` inside `run`'s task group (so it ends with the service, never detached).
    public func spawn(_ job: @escaping @Sendable () async -> Void) {
        jobsInput.yield(job)
    }

    /// Serves `listener`'s sessions, the spawned jobs and the idle reaper until the task is cancelled;
    /// then closes every session.
    public func run(listener: SessionListener?) async {
        await withDiscardingTaskGroup { group in
            if let listener {
                group.addTask { await listener.run { session in await self.adopt(session, initiatedByUs: false) } }
            }
            group.addTask { await self.reapIdleSessions() }
            await withTaskCancellationHandler {
                for await job in self.jobs { group.addTask { await job() } }
            } onCancel: {
                self.jobsInput.finish()
            }
            await self.stop()
            if let listener { await listener.close() }
            group.cancelAll()
        }
    }

    /// Stops: refuses new sessions and closes the open ones.
    func stop() async {
        let open: [Session] = state.withLockedValue { s in
            s.stopped = true
            let waiting = s.dialing.values.flatMap { $0 }
            s.dialing = [:]
            for w in waiting { w.resume(returning: .failure(.stopped)) }
            let waitingAddresses = s.dialingAddresses.values.flatMap { $0 }
            s.dialingAddresses = [:]
            for w in waitingAddresses { w.resume(returning: .failure(.stopped)) }
            return s.sessions.values.map(\.session)
        }
        for session in open { await session.close(reason: "the node is shutting down") }
        jobsInput.finish()
    }

    // MARK: Sending

    /// Queues one message for `key` on `channel`; false when there is no session to it. `onSent` is
    /// called with true once the session took the message, false if the session ended first.
    @discardableResult
    public func send(_ channel: PeerChannel, _ operation: PeerFrameOperation = .data, _ payload: [UInt8], to key: PeerKey,
                     onSent: (@Sendable (Bool) -> Void)? = nil) -> Bool {
        let bytes = PeerFrame.encode(channel, operation, payload)
        let outbound: AsyncStream<Outgoing>.Continuation? = state.withLockedValue { s in
            guard let i = s.sessions.index(forKey: key) else { return nil }
            s.sessions.values[i].lastUse = .now()
            s.statistics.messagesOut += 1
            s.statistics.bytesOut += bytes.count
            return s.sessions.values[i].outbound
        }
        guard let outbound else { return false }
        if case .enqueued = outbound.yield(Outgoing(bytes: bytes, onSent: onSent)) { return true }
        onSent?(false)
        return false
    }

    /// Keeps `key`'s session open while `channel` needs it (`on`), or lets the idle reaper have it.
    public func hold(_ key: PeerKey, _ channel: PeerChannel, _ on: Bool) {
        state.withLockedValue { s in
            guard let i = s.sessions.index(forKey: key) else { return }
            if on { s.sessions.values[i].holds.insert(channel) } else { s.sessions.values[i].holds.remove(channel) }
        }
    }

    // MARK: Peers

    /// Keys with a session now, sorted.
    public var connectedPeers: [PeerKey] { state.withLockedValue { $0.sessions.keys.sorted() } }

    /// True while a session to `key` is open.
    public func isConnected(_ key: PeerKey) -> Bool { state.withLockedValue { $0.sessions[key] != nil } }

    /// The counters so far, with the number of open sessions.
    public var statistics: PeerLinkStatistics {
        state.withLockedValue { s in
            var r = s.statistics
            r.open = s.sessions.count
            return r
        }
    }

    /// Remembers an address `key` can be dialled at (the newest first).
    public func learnAddress(_ address: SocketAddress, for key: PeerKey) {
        state.withLockedValue { s in
            var list = s.addresses[key] ?? []
            list.removeAll { $0 == address }
            list.insert(address, at: 0)
            s.addresses[key] = Array(list.prefix(4))
        }
    }

    /// The key of the open session whose peer was dialled (or learned) at `address`, if any.
    public func connectedKey(at address: SocketAddress) -> PeerKey? {
        state.withLockedValue { s in
            s.addresses.first { s.sessions[$0.key] != nil && $0.value.contains(address) }?.key
        }
    }

    /// Closes `key`'s session (every channel on it ends).
    public func close(_ key: PeerKey, reason: String) {
        let session = state.withLockedValue { $0.sessions[key]?.session }
        if let session { spawn { await session.close(reason: reason) } }
    }

    /// Refuses sessions with `key` until `until` and closes the one open now (a graylisted peer).
    public func refuse(_ key: PeerKey, until: NIODeadline, reason: String) {
        state.withLockedValue { s in
            s.refused[key] = until
            s.statistics.graylisted += 1
        }
        close(key, reason: reason)
    }

    /// Keys refused now, with the seconds left.
    public var refusedPeers: [(PeerKey, Int)] {
        let now = NIODeadline.now()
        return state.withLockedValue { s in
            s.refused.filter { $0.value > now }.map { ($0.key, Int(($0.value - now).nanoseconds / 1_000_000_000)) }
                .sorted { $0.0 < $1.0 }
        }
    }
}
