/// The first byte of every transport frame's plaintext (Spec/wire.md, "Sessions").
enum TransportFrameType: UInt8 {
    /// First fragment of a message: `00 ‖ total length (u32 BE) ‖ data`.
    case messageStart = 0x00
    /// A following fragment: `01 ‖ data`.
    case messageMore = 0x01
    /// The sender rekeys its sending key after this frame: `02`.
    case rekey = 0x02
    /// The sender ends the session: `03 ‖ code (u8) ‖ reason (UTF-8, ≤ 256 bytes)`.
    case close = 0x03
    /// Nothing, to keep the idle timer of the peer from firing: `04`.
    case keepalive = 0x04

    /// Header bytes of a first fragment.
    static let startHeaderBytes = 5
    /// Longest close reason sent.
    static let maxCloseReasonBytes = 256
}
