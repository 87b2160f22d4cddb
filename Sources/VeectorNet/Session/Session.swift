import NIOCore
import VeectorSession

/// An established, authenticated, encrypted session with one peer over TCP: what the node uses to
/// talk to another device once `SessionEndpoint` has connected or accepted it (Spec/wire.md, "Sessions").
///
/// `send` suspends while the session's send buffer is full, so a fast sender waits for a slow
/// network or reader instead of buffering without limit. `messages` yields what the peer sends, in
/// order, and ends with the close reason. Closing is explicit (`close`); a session whose peer goes
/// silent closes itself after the idle timeout.
public final class Session: Sendable {
    /// The peer's proved identity (Ed25519 key, node ID, certificate, limits, handshake hash).
    public let peer: PeerIdentity
    /// The peer's address as the socket sees it.
    public let remoteAddress: SocketAddress?
    /// Our end of the connection.
    public let localAddress: SocketAddress?

    let handler: SessionChannelHandler
    let channel: any Channel

    init(peer: PeerIdentity, handler: SessionChannelHandler, channel: any Channel) {
        self.peer = peer
        self.handler = handler
        self.channel = channel
        remoteAddress = channel.remoteAddress
        localAddress = channel.localAddress
    }

    /// The messages the peer sends, in order (for one consumer). It ends normally after a normal
    /// close by either side, and throws `SessionDriverError.closed(reason)` after any other end.
    /// Consume it steadily: while untaken messages exceed `receiveBufferLimit`, nothing more is read.
    public var messages: SessionMessages { SessionMessages(inbox: handler.inbox) }

    /// Sends one message (up to the peer's `maxMessageSize`). Returns once the session has queued it
    /// (in order; while `SessionDriverOptions.sendQueueLimit` has room it returns at once, without
    /// waiting for the event loop); suspends while the send buffers are full. Throws
    /// `.messageTooLarge` (the session goes on), `.closed(reason)` or `.cancelled`. A message queued
    /// when the session ends is lost, as bytes in the socket would be.
    public func send(_ message: [UInt8]) async throws(SessionDriverError) {
        if Task.isCancelled { throw .cancelled }
        guard message.count <= peer.maxMessageSize else { throw .messageTooLarge(size: message.count, limit: peer.maxMessageSize) }
        switch handler.sendQueue.offer(message) {
        case let .accepted(kick):
            if kick {
                let handler = self.handler
                channel.eventLoop.execute { handler.takeOffered() }
            }
            return
        case let .closed(reason):
            throw .closed(reason)
        case .full:
            break  // wait on the loop for room (behind everything queued before)
        }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let handler = self.handler
        channel.eventLoop.execute { handler.enqueueSend(message, promise: promise) }
        do {
            try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                handler.eventLoop.execute { handler.cancelSend(promise) }
            }
        } catch let error as SessionDriverError {
            throw error
        } catch {
            throw .closed(.local("the event loop stopped: \(error)"))
        }
    }

    /// Ends the session: a CLOSE frame with `reason` tells the peer it was deliberate (its `messages`
    /// then ends normally), then the connection closes. Returns the reason the session ended with
    /// (another one if it had already ended).
    @discardableResult
    public func close(reason: String = "closed by the application") async -> SessionCloseReason {
        let handler = self.handler
        channel.eventLoop.execute { handler.close(reason: reason) }
        return await closeReason()
    }

    /// Waits until the session has ended and returns why.
    public func closeReason() async -> SessionCloseReason {
        do { return try await handler.closed.futureResult.get() } catch { return .endOfStream(midFrame: false) }
    }

    /// The driver's counters and buffer high-water marks for this session.
    public func statistics() async -> SessionStatistics {
        let handler = self.handler
        return (try? await channel.eventLoop.submit { handler.statistics }.get()) ?? SessionStatistics()
    }

    /// Drops the connection without a CLOSE frame, as a crashing process would (tests use it).
    func abort() async {
        let handler = self.handler
        channel.eventLoop.execute { handler.abort() }
        _ = await closeReason()
    }
}
