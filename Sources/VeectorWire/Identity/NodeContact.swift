/// A node's ID and endpoint: one entry of a routing table, and the 26-byte "compact node info"
/// of BEP 5 (20-byte ID then 6-byte compact endpoint).
public struct NodeContact: Hashable, Sendable {
    /// Bytes in the compact form.
    public static let compactBytes = 26

    /// The node's ID.
    public var id: NodeID
    /// Where it answers.
    public var address: PeerAddress

    /// Makes a contact.
    public init(id: NodeID, address: PeerAddress) {
        self.id = id
        self.address = address
    }

    /// The 26-byte compact form.
    public var compact: [UInt8] { id.bytes + address.compact }

    /// Reads a `nodes` string: a concatenation of 26-byte entries; nil unless its length is a
    /// multiple of 26.
    public static func decodeList(_ bytes: [UInt8]) -> [NodeContact]? {
        guard bytes.count % compactBytes == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: compactBytes).map { i in
            NodeContact(id: NodeID(unchecked: Array(bytes[i..<(i + 20)])),
                        address: PeerAddress(compact: bytes[(i + 20)..<(i + 26)])!)
        }
    }

    /// Writes a `nodes` string.
    public static func encodeList(_ contacts: [NodeContact]) -> [UInt8] { contacts.flatMap(\.compact) }
}
