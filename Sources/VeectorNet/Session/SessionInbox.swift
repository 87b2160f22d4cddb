import NIOConcurrencyHelpers
import NIOCore
import VeectorSession

/// Messages the session delivered and the application has not taken yet, counted in bytes: the
/// event loop appends (and learns when to stop reading), one consumer takes them in order (and
/// wakes the loop when enough was consumed to read again). After the session closes, what is
/// queued is still handed out, then the close reason ends the stream.
final class SessionInbox: Sendable {
    private struct State {
        var queue = CircularBuffer<[UInt8]>()
        var bytes = 0
        var maxBytes = 0
        var paused = false
        var end: SessionCloseReason?
        var waiter: CheckedContinuation<Result<[UInt8]?, SessionDriverError>, Never>?
    }

    private let state = NIOLockedValueBox(State())
    private let limit: Int
    /// Called (from the consumer's thread) when reading may resume; it must hop to the loop itself.
    private let resumeReading: @Sendable () -> Void

    init(limit: Int, resumeReading: @escaping @Sendable () -> Void) {
        self.limit = max(1, limit)
        self.resumeReading = resumeReading
    }

    /// Bytes waiting now, and the most that ever waited.
    var occupancy: (bytes: Int, maxBytes: Int) { state.withLockedValue { ($0.bytes, $0.maxBytes) } }

    /// True while the consumer is behind: reading stays stopped.
    var isPaused: Bool { state.withLockedValue { $0.paused } }

    /// Adds a delivered message (on the loop). Returns true if reading must stop until `resumeReading`.
    func append(_ message: [UInt8]) -> Bool {
        let (waiter, pause) = state.withLockedValue { s -> (CheckedContinuation<Result<[UInt8]?, SessionDriverError>, Never>?, Bool) in
            if let w = s.waiter {
                s.waiter = nil
                return (w, false)
            }
            s.queue.append(message)
            s.bytes += message.count
            s.maxBytes = max(s.maxBytes, s.bytes)
            if s.bytes >= limit && !s.paused { s.paused = true }
            return (nil, s.paused)
        }
        waiter?.resume(returning: .success(message))
        return pause
    }

    /// Ends the stream once the queue is drained (on the loop).
    func finish(_ reason: SessionCloseReason) {
        let waiter = state.withLockedValue { s -> CheckedContinuation<Result<[UInt8]?, SessionDriverError>, Never>? in
            guard s.end == nil else { return nil }
            s.end = reason
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: Self.ending(reason))
    }

    /// The next message, nil at a normal end; throws the close reason at an abnormal one.
    func next() async throws(SessionDriverError) -> [UInt8]? {
        if let ready = take() { return try ready.get() }
        let result: Result<[UInt8]?, SessionDriverError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate = state.withLockedValue { s -> Result<[UInt8]?, SessionDriverError>? in
                    if let r = takeLocked(&s) { return r }
                    if Task.isCancelled { return .failure(.cancelled) }
                    s.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { s in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: .failure(.cancelled))
        }
        return try result.get()
    }

    private func take() -> Result<[UInt8]?, SessionDriverError>? {
        state.withLockedValue { takeLocked(&$0) }
    }

    /// The next message or the end, if either is there (under the lock); resumes reading when half consumed.
    private func takeLocked(_ s: inout State) -> Result<[UInt8]?, SessionDriverError>? {
        if let message = s.queue.popFirst() {
            s.bytes -= message.count
            if s.paused && s.bytes <= limit / 2 {
                s.paused = false
                resumeReading()
            }
            return .success(message)
        }
        if let end = s.end { return Self.ending(end) }
        return nil
    }

    /// A session closed by us or normally by the peer ends the stream; anything else is an error.
    static func ending(_ reason: SessionCloseReason) -> Result<[UInt8]?, SessionDriverError> {
        switch reason {
        case .local, .remote(code: 0, reason: _): return .success(nil)
        default: return .failure(.closed(reason))
        }
    }
}

/// The messages a session receives, in order, as an asynchronous sequence for one consumer. It ends
/// normally when either side closed the session normally, and throws `SessionDriverError.closed(reason)`
/// otherwise (the connection dropped, a timeout, a protocol violation). Taking messages is what lets the
/// driver read more from the socket: a consumer that stops pushes back on the sender.
public struct SessionMessages: AsyncSequence, Sendable {
    /// One received message.
    public typealias Element = [UInt8]
    /// Why the stream ended abnormally.
    public typealias Failure = SessionDriverError

    let inbox: SessionInbox

    /// Reads the sequence.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let inbox: SessionInbox

        /// The next message; nil after a normal close.
        public mutating func next() async throws(SessionDriverError) -> [UInt8]? {
            try await inbox.next()
        }
    }

    /// An iterator over the session's messages (make one; all of them share the same queue).
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbox: inbox) }
}
