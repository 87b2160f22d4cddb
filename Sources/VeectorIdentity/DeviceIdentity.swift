import VeectorCrypto
import VeectorWire

/// A device's own identity: the Ed25519 key pair a node signs with and authenticates sessions
/// with. Its node ID in the DHT derives from the public key (Spec/identity.md, "Device identity").
///
/// The device key lives on the device and is never passphrase-protected (the daemon needs it to
/// start); what binds a device to a person is a `DeviceCertificate` signed by a `UserIdentity`.
public struct DeviceIdentity: Sendable {
    /// The Ed25519 key pair.
    public let keyPair: SigningKeyPair

    /// Wraps an existing key pair.
    public init(keyPair: SigningKeyPair) { self.keyPair = keyPair }

    /// Rebuilds the identity from its 32-byte seed.
    public init(seed: [UInt8]) throws(IdentityError) {
        do { keyPair = try SigningKeyPair(seed: seed) } catch {
            throw .invalidKey(what: "device seed", expected: SigningKeyPair.seedBytes, got: seed.count)
        }
    }

    /// A new random device identity.
    public static func generate() -> DeviceIdentity { DeviceIdentity(keyPair: .generate()) }

    /// The Ed25519 public key (32 bytes): the device's permanent name on the network.
    public var publicKey: [UInt8] { keyPair.publicKey }

    /// The device's node ID: `NodeID.derived(fromPublicKey:externalAddress:)` of the public key,
    /// with a BEP 42 prefix when a public external IPv4 address is known.
    public func nodeID(externalAddress: IPv4Address? = nil) -> NodeID {
        NodeID.derived(fromPublicKey: publicKey, externalAddress: externalAddress)
    }

    /// Signs `message` with the device key.
    public func sign(_ message: [UInt8]) -> [UInt8] { keyPair.sign(message) }
}
