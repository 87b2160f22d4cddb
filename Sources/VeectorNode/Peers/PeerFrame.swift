/// The protocols that share one peer session. Every session message starts with the channel's byte
/// and an operation byte (`Spec/wire.md`, "Channels"), so gossip and content transfer ride the same
/// encrypted connection without knowing of each other.
public enum PeerChannel: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Gossip frames (`Spec/gossip.md`).
    case gossip = 1
    /// Content-transfer messages (`Spec/transfer.md`).
    case transfer = 2

    /// The channel's name.
    public var description: String {
        switch self {
        case .gossip: "gossip"
        case .transfer: "transfer"
        }
    }
}

/// What a channel message asks of the other side's channel.
public enum PeerFrameOperation: UInt8, Sendable {
    /// The payload is one message of the channel's protocol.
    case data = 0
    /// The sender wants the channel's link with us (gossip: "you are one of my mesh links").
    case open = 1
    /// The sender ends the channel's link with us (the session itself may stay for other channels).
    case close = 2
}

/// One session message split into channel, operation and payload.
struct PeerFrame: Sendable {
    var channel: PeerChannel
    var operation: PeerFrameOperation
    var payload: ArraySlice<UInt8>

    /// The session message for `payload` on `channel`.
    static func encode(_ channel: PeerChannel, _ operation: PeerFrameOperation, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payload.count + 2)
        bytes.append(channel.rawValue)
        bytes.append(operation.rawValue)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// Splits a session message; nil when it is shorter than two bytes or names an unknown channel or
    /// operation (the session layer counts and drops such messages).
    static func decode(_ bytes: [UInt8]) -> PeerFrame? {
        guard bytes.count >= 2, let channel = PeerChannel(rawValue: bytes[0]),
              let operation = PeerFrameOperation(rawValue: bytes[1]) else { return nil }
        return PeerFrame(channel: channel, operation: operation, payload: bytes[2...])
    }
}
