import ContentID
import VeectorWire

/// What a `TransferCore` knows about one provider: where it is in the protocol, which manifest it
/// serves, what it lacks, its requests in flight and its estimated throughput and latency.
struct FetchPeer: Sendable {
    enum Phase: Hashable, Sendable {
        /// Known, not connected; not before `notBefore` (a reconnect back-off).
        case candidate(notBefore: Instant)
        /// `connect` asked; fails at the deadline.
        case connecting(deadline: Instant)
        /// Session open, manifest requested at `sent` (again once `busyUntil` passes, if `resend`).
        case awaitingManifest(sent: Instant, deadline: Instant, resend: Bool)
        /// Manifest received: chunks may be requested (if it is the chosen manifest).
        case ready
        /// No longer used.
        case dropped(TransferDropReason)
    }

    var phase: Phase
    /// The manifest this peer serves (once it sent one).
    var manifestID: CID?
    /// Chunk ranges it holds; nil = all.
    var ranges: [Range<Int>]?
    /// Chunks it said it lacks.
    var lacks: Set<Int> = []
    /// Requests in flight: chunk index → when it was sent.
    var inflight: [Int: Instant] = [:]
    /// When each request in flight times out.
    var deadlines: [Int: Instant] = [:]
    /// Estimated throughput (bytes per second) and round-trip latency (seconds).
    var throughput: Double
    var latency: Double
    /// When its last chunk arrived (chunks queue behind each other on its uplink).
    var lastArrival: Instant?
    /// No requests before this (`busy`).
    var busyUntil: Instant = .zero
    /// When it was dropped (a re-announced peer is retried only a while later).
    var droppedAt: Instant = .zero
    var consecutiveTimeouts = 0
    /// `busy` answers in a row (each doubles the back-off; a chunk or manifest resets it).
    var consecutiveBusy = 0
    /// Reconnections since this peer last delivered a verified chunk (a delivering session resets it).
    var reconnects = 0
    /// Times it was dropped for a reason that may pass and taken back when found again (each doubles
    /// the wait before the next; a verified chunk resets it).
    var revivals = 0
    /// Position among known peers (connect order).
    let order: Int

    var isConnected: Bool {
        switch phase {
        case .connecting, .awaitingManifest, .ready: true
        default: false
        }
    }

    var isDropped: Bool { if case .dropped = phase { true } else { false } }

    func holds(_ index: Int) -> Bool {
        guard !lacks.contains(index) else { return false }
        guard let ranges else { return true }
        return ranges.contains { $0.contains(index) }
    }

    /// Expected seconds from now until one more chunk of `size` bytes would arrive from this peer.
    func expectedWait(size: Int, now: Instant) -> Double {
        let queued = Double(inflight.count + 1) * Double(size) / max(throughput, 1)
        let backoff = busyUntil > now ? Double(busyUntil.duration(since: now).nanosecondCount) / 1e9 : 0
        return backoff + latency + queued
    }
}

extension Duration {
    var seconds: Double { Double(nanosecondCount) / 1e9 }
    static func seconds(double s: Double) -> Duration { .nanoseconds(Int64(max(0, min(s, 9e9)) * 1e9)) }
}
