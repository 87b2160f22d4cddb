/// The driver's own limits for sessions on TCP, beside the core's (`SessionConfiguration`): how much
/// received data may wait for the application, how many handshakes a listener runs at once.
public struct SessionDriverOptions: Sendable {
    /// Bytes of delivered messages that may wait for the application before the driver stops reading
    /// the socket (TCP then pushes back on the peer). Reading resumes when half of it is consumed.
    /// The wait can exceed it by one read burst (4 × `maxReadBytes`) plus one message.
    public var receiveBufferLimit: Int = 4 << 20
    /// Connections a listener keeps in the handshake at once; more are closed on arrival (and counted).
    public var maxHalfOpenHandshakes: Int = 64
    /// Accepted sessions (handshake done) waiting for `SessionListener.run` to take them: accepting
    /// pauses above this many.
    public var acceptQueueLimit: Int = 32
    /// How long a closing session waits for its CLOSE frame to be written before it drops the connection.
    public var closeLinger: Duration = .seconds(2)
    /// Bytes of messages `Session.send` may accept without waiting for the event loop (it returns at
    /// once while they fit; one message of any size fits in an empty queue). Above it, `send` waits on
    /// the loop as back-pressure. These bytes come on top of the core's `sendBufferLimit`.
    public var sendQueueLimit: Int = 1 << 20
    /// Largest single read from the socket (NIO's adaptive receive buffer grows up to this).
    public var maxReadBytes: Int = 256 << 10

    /// The defaults above.
    public init() {}
}
