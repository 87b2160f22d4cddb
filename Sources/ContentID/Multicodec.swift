/// The multicodec code that says how a CID's content is encoded (raw bytes, dag-pb, dag-cbor…).
public struct Multicodec: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The numeric multicodec code.
    public let rawValue: UInt64

    /// Wraps any multicodec code (see the multicodec table).
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Raw bytes (0x55): what Veector uses for every whole blob and chunk.
    public static let raw = Multicodec(rawValue: 0x55)
    /// MerkleDAG protobuf (0x70): IPFS UnixFS files and directories; every CIDv0 is dag-pb.
    public static let dagPB = Multicodec(rawValue: 0x70)
    /// MerkleDAG CBOR (0x71): IPLD structured data.
    public static let dagCBOR = Multicodec(rawValue: 0x71)

    public var description: String {
        switch self {
        case .raw: return "raw"
        case .dagPB: return "dag-pb"
        case .dagCBOR: return "dag-cbor"
        default: return "0x" + String(rawValue, radix: 16)
        }
    }
}
