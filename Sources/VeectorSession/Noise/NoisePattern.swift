/// A Noise handshake pattern without pre-messages: the tokens of each message, alternating
/// initiator → responder → initiator… (Noise rev 34, §7). Veector sessions use `XX`; `NN`, `XN`
/// and `IX` exist so the implementation can be checked against more published test vectors.
public struct NoisePattern: Sendable, Equatable {
    /// One step of a handshake message.
    public enum Token: Sendable, Equatable {
        /// Send (or receive) a fresh ephemeral public key.
        case e
        /// Send (or receive) the static public key, encrypted once a key is mixed in.
        case s
        /// Mix in DH(ephemeral, remote ephemeral).
        case ee
        /// Mix in DH(initiator ephemeral, responder static).
        case es
        /// Mix in DH(initiator static, responder ephemeral).
        case se
        /// Mix in DH(static, remote static).
        case ss
    }

    /// The pattern's name as it appears in the protocol name ("XX").
    public let name: String
    /// The tokens of each message in order.
    public let messages: [[Token]]

    /// `XX`: both static keys are transmitted, encrypted; mutual authentication.
    public static let xx = NoisePattern(name: "XX", messages: [[.e], [.e, .ee, .s, .es], [.s, .se]])
    /// `NN`: no static keys.
    public static let nn = NoisePattern(name: "NN", messages: [[.e], [.e, .ee]])
    /// `XN`: the initiator's static key is transmitted.
    public static let xn = NoisePattern(name: "XN", messages: [[.e], [.e, .ee], [.s, .se]])
    /// `IX`: the initiator's static key is sent immediately, the responder's transmitted.
    public static let ix = NoisePattern(name: "IX", messages: [[.e, .s], [.e, .ee, .se, .s, .es]])

    /// "Noise_<pattern>_25519_ChaChaPoly_BLAKE2b".
    public var protocolName: String { "Noise_\(name)_25519_ChaChaPoly_BLAKE2b" }
}
