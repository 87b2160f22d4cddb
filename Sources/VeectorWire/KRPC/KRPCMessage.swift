/// One KRPC message (BEP 5): the bencoded dictionary a DHT node sends in one UDP datagram.
public struct KRPCMessage: Hashable, Sendable {
    /// What kind of message this is, with its payload.
    public enum Body: Hashable, Sendable {
        /// `y = "q"`: a request (`q` method name, `a` arguments).
        case query(KRPCQuery)
        /// `y = "r"`: a successful reply (`r` dictionary).
        case response(KRPCResponse)
        /// `y = "e"`: a failed reply (`e` = [code, message]).
        case error(KRPCErrorMessage)
    }

    /// `t`: chosen by the querier, echoed by the responder to match replies to queries.
    public var transactionID: [UInt8]
    /// The payload.
    public var body: Body
    /// `v`: the sender's client version (BEP 5 suggests 2 bytes of client ID + 2 of version).
    public var clientVersion: [UInt8]?
    /// `ip`: BEP 42 — in a reply, the querier's address as the responder saw it.
    public var externalAddress: PeerAddress?
    /// `ro = 1`: BEP 43 — the sender is read-only and must not be added to routing tables.
    public var readOnly: Bool

    /// Makes a message.
    public init(transactionID: [UInt8], body: Body, clientVersion: [UInt8]? = nil,
                externalAddress: PeerAddress? = nil, readOnly: Bool = false) {
        self.transactionID = transactionID
        self.body = body
        self.clientVersion = clientVersion
        self.externalAddress = externalAddress
        self.readOnly = readOnly
    }
}
