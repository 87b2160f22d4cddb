import Foundation
import Logging
import NIOCore
import VeectorDHT
import VeectorNet
import VeectorWire

/// The running DHT: a `DHTNode` on a `UDPDriver`, with commands turned into `async` calls that return
/// the command's `DHTResult` (the core answers every command exactly once).
public final class DHTRunner: Sendable {
    /// The driver (its address, counters).
    public let driver: UDPDriver<DHTNode>
    private let pending: PendingCommands

    private init(driver: UDPDriver<DHTNode>, pending: PendingCommands) {
        self.driver = driver
        self.pending = pending
    }

    /// Binds `host:port` and starts a DHT node with `ownID` (restored from `snapshot` when given).
    public static func start(ownID: NodeID, configuration: DHTConfiguration, snapshot: [UInt8]?, host: String, port: Int,
                             group: any EventLoopGroup, logger: Logger) async throws(NetError) -> DHTRunner {
        let clock = MonotonicClock()
        var rng = SeededGenerator()
        var core = DHTNode(ownID: ownID, configuration: configuration, now: clock.now(), rng: &rng)
        if let snapshot {
            do {
                core = try DHTNode(ownID: ownID, configuration: configuration, snapshot: snapshot, now: clock.now(), rng: &rng)
            } catch {
                logger.warning("ignoring the saved DHT snapshot: \(error)")
            }
        }
        let pending = PendingCommands()
        let driver = try await UDPDriver.start(core: core, host: host, port: port, group: group, clock: clock, rng: rng,
                                               logger: logger) { action in
            if case let .complete(id, result) = action { pending.finish(id, result) }
        }
        return DHTRunner(driver: driver, pending: pending)
    }

    /// Runs `command` and waits for its result.
    public func perform(_ command: DHTCommand) async throws(NetError) -> DHTResult {
        let id = pending.nextID()
        do throws(NetError) {
            try await driver.submit(.command(id, command))
        } catch {
            pending.forget(id)
            throw error
        }
        return try await withCheckedContinuation { (continuation: CheckedContinuation<Result<DHTResult, NetError>, Never>) in
            pending.register(id, continuation)
        }.get()
    }

    /// The core's counters and routing-table size.
    public func stats() async throws(NetError) -> DHTStats { try await driver.withCore { $0.stats } }

    /// The routing table's entries.
    public func routingEntries() async throws(NetError) -> [RoutingEntry] { try await driver.withCore { $0.routingTable.allEntries } }

    /// The core's snapshot (routing table and owned records), for the next start.
    public func snapshot() async throws(NetError) -> [UInt8] { try await driver.withCore { $0.snapshot() } }

    /// The core's ID and the external-address reports its responders made (for `NodeIDPolicy`).
    public func identityState() async throws(NetError) -> (id: NodeID, reports: [(reporter: IPv4Address, said: PeerAddress)]) {
        let (id, votes) = try await driver.withCore { ($0.ownID, $0.addressVotes) }
        return (id, votes.reports)
    }

    /// Replaces the core with the same node under `newID` (`DHTNode.switchingID`), on the driver's loop.
    /// Commands still waiting fail with a `failed` error that says to retry (their lookups ran in the
    /// old core). Returns the number of routing-table nodes carried over.
    public func switchID(to newID: NodeID) async throws(NetError) -> Int {
        let now = driver.now()
        let outcome: Result<Int, DHTSnapshotError> = try await driver.withCore { core in
            var rng = SeededGenerator()
            do throws(DHTSnapshotError) {
                core = try core.switchingID(to: newID, now: now, rng: &rng)
                return .success(core.routingTable.count)
            } catch {
                return .failure(error)
            }
        }
        pending.abandonOutstanding(.refused(code: "failed", message:
            "the node switched its DHT ID to \(newID) (BEP 42, new external address) while this command ran; retry it"))
        switch outcome {
        case let .success(n): return n
        case let .failure(e): throw .file(path: "(in-memory DHT snapshot)", reason: "cannot switch the node ID: \(e)")
        }
    }

    /// Closes the socket; waiting commands fail with `.closed`.
    public func close() async {
        await driver.close()
        pending.failAll(.closed)
    }
}

/// Commands waiting for their `complete` action, by ID.
private final class PendingCommands: @unchecked Sendable {
    private let lock = NSLock()
    private var counter: UInt64 = 0
    private var waiting: [DHTCommandID: CheckedContinuation<Result<DHTResult, NetError>, Never>] = [:]
    private var early: [DHTCommandID: Result<DHTResult, NetError>] = [:]
    private var closedError: NetError?
    /// Issued and not yet resolved: what `abandonOutstanding` fails.
    private var outstanding: Set<DHTCommandID> = []
    /// Failed early by `abandonOutstanding`; a late completion for one of these is dropped.
    private var abandoned: Set<DHTCommandID> = []

    func nextID() -> DHTCommandID {
        lock.withLock {
            counter += 1
            outstanding.insert(DHTCommandID(counter))
            return DHTCommandID(counter)
        }
    }

    func register(_ id: DHTCommandID, _ c: CheckedContinuation<Result<DHTResult, NetError>, Never>) {
        let done: Result<DHTResult, NetError>? = lock.withLock {
            if let r = early.removeValue(forKey: id) { return r }
            if let closedError { return .failure(closedError) }
            waiting[id] = c
            return nil
        }
        if let done { c.resume(returning: done) }
    }

    func finish(_ id: DHTCommandID, _ result: DHTResult) { resolve(id, .success(result)) }

    /// Drops whatever is kept for `id` (its submission failed).
    func forget(_ id: DHTCommandID) {
        lock.withLock {
            _ = early.removeValue(forKey: id)
            outstanding.remove(id)
        }
    }

    /// Fails every issued, unresolved command with `error` (the core that was running them is gone).
    func abandonOutstanding(_ error: NetError) {
        let resume: [CheckedContinuation<Result<DHTResult, NetError>, Never>] = lock.withLock {
            var r: [CheckedContinuation<Result<DHTResult, NetError>, Never>] = []
            for id in outstanding {
                abandoned.insert(id)
                if let c = waiting.removeValue(forKey: id) { r.append(c) } else { early[id] = .failure(error) }
            }
            outstanding = []
            return r
        }
        for c in resume { c.resume(returning: .failure(error)) }
    }

    private func resolve(_ id: DHTCommandID, _ outcome: Result<DHTResult, NetError>) {
        let c: CheckedContinuation<Result<DHTResult, NetError>, Never>? = lock.withLock {
            if abandoned.remove(id) != nil { return nil }
            outstanding.remove(id)
            if let c = waiting.removeValue(forKey: id) { return c }
            early[id] = outcome
            return nil
        }
        c?.resume(returning: outcome)
    }

    func failAll(_ error: NetError) {
        let all = lock.withLock { let w = waiting; waiting = [:]; closedError = error; return w }
        for c in all.values { c.resume(returning: .failure(error)) }
    }
}
