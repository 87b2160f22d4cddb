import ContentID
import VeectorCrypto
import VeectorWire

/// "The newest version of model NAME that this key publishes is manifest M": a BEP 44 mutable item
/// signed with the publisher's device key, so a node that missed the gossip announcement (offline,
/// joined later) can still find the current version by asking the DHT, and a re-publication replaces
/// the old head (higher `seq`). Salt `veector-head-v1:NAME`, stored at `SHA-1(public key ‖ salt)`;
/// value `{"a": arch, "b": bytes, "m": manifest CID (binary), "n": NAME, "t": Unix milliseconds}`,
/// `seq = t`. `veenode share model` publishes it; the DHT core republishes it (`Docs/network.md`).
public struct ModelHead: Equatable, Sendable {
    /// What every head's salt starts with.
    public static let saltPrefix = "veector-head-v1:"
    /// The longest model name a head can carry (BEP 44 salts are at most 64 bytes).
    public static let maxNameBytes = BEP44.maxSaltBytes - saltPrefix.utf8.count

    /// The model's name as its publisher uses it.
    public var name: String
    /// The model manifest's CID (the model's identity).
    public var manifest: CID
    /// The architecture (`llama`, `bert`).
    public var arch: String
    /// Bytes of all its blocks and tokenizer blobs.
    public var bytes: Int
    /// When it was published (Unix milliseconds); also the item's `seq`.
    public var publishedAt: Int64

    /// Makes a head.
    public init(name: String, manifest: CID, arch: String, bytes: Int, publishedAt: Int64) {
        self.name = name
        self.manifest = manifest
        self.arch = arch
        self.bytes = bytes
        self.publishedAt = publishedAt
    }

    /// The BEP 44 salt for model `name`, or an error when the name is too long to be one.
    public static func salt(for name: String) throws(ModelHeadError) -> [UInt8] {
        guard !name.isEmpty, name.utf8.count <= maxNameBytes else { throw .nameTooLong(name) }
        return Array((saltPrefix + name).utf8)
    }

    /// Whether model `name` fits a head's salt.
    public static func isPublishable(_ name: String) -> Bool { !name.isEmpty && name.utf8.count <= maxNameBytes }

    /// Where the head of `name` published by `publicKey` is stored.
    public static func target(publicKey: [UInt8], name: String) throws(ModelHeadError) -> NodeID {
        BEP44.mutableTarget(publicKey: publicKey, salt: try salt(for: name))
    }

    /// The bencoded value.
    public var value: BencodeValue {
        .dict(["a": .bytes(Array(arch.utf8)), "b": .integer(Int64(bytes)), "m": .bytes(manifest.bytes),
               "n": .bytes(Array(name.utf8)), "t": .integer(publishedAt)])
    }

    /// The signed BEP 44 item.
    public func signed(with keyPair: SigningKeyPair) throws(ModelHeadError) -> MutableItem {
        MutableItem.signed(value: value, seq: publishedAt, salt: try Self.salt(for: name), keyPair: keyPair)
    }

    /// Reads a head from an item found in the DHT, checking salt, signature, shape and that the name
    /// inside is the one the salt names.
    public init(item: MutableItem) throws(ModelHeadError) {
        let prefix = Array(Self.saltPrefix.utf8)
        guard item.salt.starts(with: prefix), let saltName = String(bytes: item.salt.dropFirst(prefix.count), encoding: .utf8) else {
            throw .wrongSalt
        }
        guard item.isSignatureValid else { throw .badSignature }
        guard let name = item.value["n"]?.bytesValue.flatMap({ String(bytes: $0, encoding: .utf8) }), name == saltName else {
            throw .malformed("'n' is not the name the salt gives")
        }
        guard let m = item.value["m"]?.bytesValue, let manifest = try? CID(bytes: m) else { throw .malformed("'m' is not a CID") }
        guard let arch = item.value["a"]?.bytesValue.flatMap({ String(bytes: $0, encoding: .utf8) }) else {
            throw .malformed("'a' is not text")
        }
        guard let b = item.value["b"]?.integerValue, b >= 0, let t = item.value["t"]?.integerValue else {
            throw .malformed("'b' or 't' is not a non-negative integer")
        }
        self.init(name: name, manifest: manifest, arch: arch, bytes: Int(b), publishedAt: t)
    }
}

/// Why a model head cannot be made or read.
public enum ModelHeadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model name does not fit a BEP 44 salt.
    case nameTooLong(String)
    /// The item's salt does not start with `veector-head-v1:`.
    case wrongSalt
    /// The signature does not match the public key.
    case badSignature
    /// The value is not the documented dictionary.
    case malformed(String)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case let .nameTooLong(name):
            "model name '\(name)' is too long for a DHT head (at most \(ModelHead.maxNameBytes) bytes): rename it with a shorter name to publish its head"
        case .wrongSalt: "not a model head (its BEP 44 salt does not start with '\(ModelHead.saltPrefix)')"
        case .badSignature: "the model head's signature is invalid: ignore it (forged or corrupted)"
        case let .malformed(why): "malformed model head: \(why)"
        }
    }
}
