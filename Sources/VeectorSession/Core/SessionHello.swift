import VeectorWire

/// The payload of handshake messages 2 and 3: a small bencoded dictionary in which each side
/// introduces itself (Spec/wire.md, "Sessions"). Encrypted by Noise, so only the peer reads it.
struct SessionHello: Equatable {
    static let version: Int64 = 1
    static let maxBytes = 2048
    static let maxCertificateBytes = 1024

    var version: Int64 = SessionHello.version
    var publicKey: [UInt8]
    var nodeID: NodeID
    var certificate: [UInt8]?
    var maxMessageSize: Int64

    /// `d1:c<cert>2:id20:<id>1:k32:<key>2:mmi<max>e1:vi1ee` (`c` only when present).
    func encoded() -> [UInt8] {
        var d: [String: BencodeValue] = ["v": .integer(version), "k": .bytes(publicKey), "id": .bytes(nodeID.bytes),
                                         "mm": .integer(maxMessageSize)]
        if let certificate { d["c"] = .bytes(certificate) }
        return BencodeValue.dict(d).encoded()
    }

    /// Parses a hello; unknown keys are ignored (later versions may add some), every known one
    /// is checked. Throws a close reason that names the fault.
    init(decoding bytes: [UInt8]) throws(SessionCloseReason) {
        guard bytes.count <= Self.maxBytes else { throw .protocolViolation("the hello is \(bytes.count) bytes, more than \(Self.maxBytes)") }
        let value: BencodeValue
        do { value = try BencodeDecoder(maxDepth: 2).decode(bytes) } catch {
            throw .protocolViolation("the hello is not canonical bencode (\(error))")
        }
        guard value.dictionaryValue != nil else { throw .protocolViolation("the hello is not a dictionary") }
        guard let v = value["v"]?.integerValue else { throw .protocolViolation("the hello has no integer 'v'") }
        guard v == Self.version else { throw .unsupportedVersion(v) }
        guard let k = value["k"]?.bytesValue, k.count == 32 else { throw .protocolViolation("the hello's 'k' is not a 32-byte key") }
        guard let idBytes = value["id"]?.bytesValue, let id = NodeID(idBytes) else { throw .protocolViolation("the hello's 'id' is not a 20-byte node ID") }
        guard let mm = value["mm"]?.integerValue, mm >= 0, mm <= Int64(UInt32.max) else {
            throw .protocolViolation("the hello's 'mm' is not a message size in 0...2^32-1")
        }
        if let c = value["c"] {
            guard let cert = c.bytesValue, cert.count <= Self.maxCertificateBytes else {
                throw .protocolViolation("the hello's 'c' is not a certificate of at most \(Self.maxCertificateBytes) bytes")
            }
            certificate = cert
        }
        publicKey = k
        nodeID = id
        maxMessageSize = mm
    }

    init(publicKey: [UInt8], nodeID: NodeID, certificate: [UInt8]?, maxMessageSize: Int64) {
        self.publicKey = publicKey
        self.nodeID = nodeID
        self.certificate = certificate
        self.maxMessageSize = maxMessageSize
    }
}
