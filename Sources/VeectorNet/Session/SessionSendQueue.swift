import NIOConcurrencyHelpers
import NIOCore
import VeectorSession

/// Messages `Session.send` has accepted without waiting for the event loop: the sending task appends
/// under a lock and returns at once while the queue has room, and only the first message of a batch
/// schedules a hop to the loop, which then moves the whole batch into the handler. This takes the
/// per-message round trip (hop to the loop, promise, resume of the task) off the sending path.
///
/// Bytes count from `offer` until the core has taken the message (`release`), so they stay bounded
/// by `limit` (plus one message); a sender that finds the queue full waits on the loop instead.
final class SessionSendQueue: Sendable {
    /// What became of an offered message.
    enum Offer {
        /// Queued; `kick` says the caller must schedule `SessionChannelHandler.takeOffered` on the loop.
        case accepted(kick: Bool)
        /// No room: the caller must wait on the loop (the slow path).
        case full
        /// The session has ended.
        case closed(SessionCloseReason)
    }

    private struct State {
        var messages = CircularBuffer<[UInt8]>()
        var bytes = 0
        var kickScheduled = false
        var end: SessionCloseReason?
    }

    private let state = NIOLockedValueBox(State())
    private let limit: Int

    /// A queue holding at most `limit` bytes not yet taken by the core (one message of any size fits when empty).
    init(limit: Int) { self.limit = max(1, limit) }

    /// Queues `message` if there is room (any thread).
    func offer(_ message: [UInt8]) -> Offer {
        state.withLockedValue { s in
            if let end = s.end { return .closed(end) }
            guard s.bytes == 0 || s.bytes + message.count <= limit else { return .full }
            s.messages.append(message)
            s.bytes += message.count
            if s.kickScheduled { return .accepted(kick: false) }
            s.kickScheduled = true
            return .accepted(kick: true)
        }
    }

    /// Everything offered since the last call, in order (on the loop); the next offer kicks again.
    func takeAll() -> CircularBuffer<[UInt8]> {
        state.withLockedValue { s in
            s.kickScheduled = false
            defer { s.messages = CircularBuffer() }
            return s.messages
        }
    }

    /// The core took (or dropped) `count` bytes that came through this queue.
    func release(_ count: Int) {
        state.withLockedValue { $0.bytes = max(0, $0.bytes - count) }
    }

    /// Refuses further offers with `reason` and drops what is queued (on the loop, when the session ends).
    func close(_ reason: SessionCloseReason) {
        state.withLockedValue { s in
            if s.end == nil { s.end = reason }
            s.messages = CircularBuffer()
            s.bytes = 0
        }
    }
}
