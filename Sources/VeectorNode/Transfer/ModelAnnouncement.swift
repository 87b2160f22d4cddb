import ContentID
import VeectorGossip
import VeectorWire

/// "This node shares model NAME": the gossip payload `veenode share model` publishes on
/// `ModelAnnouncement.topic`, so peers can run a model by name without importing it
/// (`Spec/transfer.md`, "Model announcements"). The manifest CID is the model's identity; the
/// blocks are fetched by the CIDs the manifest lists.
public struct ModelAnnouncement: Sendable, Equatable {
    /// The gossip topic model announcements travel on.
    public static let topic: GossipTopic = "veector/models"
    /// Payload format version.
    public static let version: Int64 = 1

    /// The name the sharer uses (a valid `ModelStore` name).
    public var name: String
    /// The model manifest's CID.
    public var manifest: CID
    /// The architecture (`llama`, `bert`).
    public var arch: String
    /// Bytes of all its blocks and tokenizer blobs.
    public var bytes: Int

    /// An announcement of `name`.
    public init(name: String, manifest: CID, arch: String, bytes: Int) {
        self.name = name
        self.manifest = manifest
        self.arch = arch
        self.bytes = bytes
    }

    /// The canonical encoding: a bencoded dictionary `{arch, bytes, manifest (binary CID), name, v}`.
    public func encoded() -> [UInt8] {
        BencodeValue.dictionary([
            Array("arch".utf8): .bytes(Array(arch.utf8)),
            Array("bytes".utf8): .integer(Int64(bytes)),
            Array("manifest".utf8): .bytes(manifest.bytes),
            Array("name".utf8): .bytes(Array(name.utf8)),
            Array("v".utf8): .integer(Self.version),
        ]).encoded()
    }

    /// Decodes and checks an announcement payload.
    public init(decoding payload: [UInt8]) throws(ContentShareError) {
        let value: BencodeValue
        do { value = try BencodeValue(decoding: payload) } catch { throw .badAnnouncement("not bencode: \(error)") }
        guard let d = value.dictionaryValue else { throw .badAnnouncement("not a dictionary") }
        func field(_ k: String) throws(ContentShareError) -> BencodeValue {
            guard let v = d[Array(k.utf8)] else { throw .badAnnouncement("field '\(k)' is missing") }
            return v
        }
        guard try field("v").integerValue == Self.version else { throw .badAnnouncement("field 'v' is not \(Self.version)") }
        guard let nameBytes = try field("name").bytesValue, let name = String(validating: nameBytes, as: UTF8.self),
              ModelStore.isValidName(name) else { throw .badAnnouncement("field 'name' is not a valid model name") }
        guard let archBytes = try field("arch").bytesValue, let arch = String(validating: archBytes, as: UTF8.self),
              (1...32).contains(arch.count) else { throw .badAnnouncement("field 'arch' is not 1–32 characters of UTF-8") }
        guard let bytes = try field("bytes").integerValue, bytes >= 0 else { throw .badAnnouncement("field 'bytes' is not a non-negative integer") }
        guard let cidBytes = try field("manifest").bytesValue, let cid = try? CID(bytes: cidBytes), cid.sha256Digest != nil else {
            throw .badAnnouncement("field 'manifest' is not a binary sha2-256 CID")
        }
        self.init(name: name, manifest: cid, arch: arch, bytes: Int(bytes))
    }
}
