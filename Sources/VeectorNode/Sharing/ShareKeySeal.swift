import VeectorCrypto
import VeectorIdentity

/// Seals a document key so that only one user can open it (Spec/sharing.md, "Sealed key"):
/// libsodium `crypto_box_seal` to the X25519 key converted from the recipient's Ed25519 user
/// public key. The sealed message is `01 ‖ document key (32) ‖ sender's Ed25519 public key (32)`,
/// so a key lifted out of one record cannot be re-signed into a forged record by another sender.
public enum ShareKeySeal {
    /// The sealed message's format byte.
    static let format: UInt8 = 1
    /// Bytes of the sealed message before sealing.
    static let plainBytes = 1 + SecretKey.byteCount + SigningKeyPair.publicKeyBytes
    /// Bytes of a sealed key: the message plus the sealed box's 48 bytes.
    public static let sealedBytes = plainBytes + SealedBox.overheadBytes

    /// Seals `documentKey` from `senderPublicKey` to the user whose Ed25519 public key is `recipientPublicKey`.
    public static func seal(_ documentKey: SecretKey, from senderPublicKey: [UInt8], to recipientPublicKey: [UInt8]) throws(ShareError) -> [UInt8] {
        let box: [UInt8]
        do { box = try Ed25519ToX25519.publicKey(recipientPublicKey) } catch {
            throw .invalidKey(what: "recipient's key", reason: "is not a valid Ed25519 user public key (\(error))")
        }
        let message = documentKey.withUnsafeBytes { [format] + Array($0) } + senderPublicKey
        do { return try SealedBox.seal(message, to: box) } catch {
            throw .invalidKey(what: "recipient's key", reason: "cannot receive sealed boxes (\(error))")
        }
    }

    /// Opens a key sealed to `recipient`, and checks it was sealed by `expectedSender`.
    public static func open(_ sealed: [UInt8], recipient: UserIdentity, expectedSender: [UInt8]) throws(ShareError) -> SecretKey {
        let x = recipient.keyPair.x25519KeyPair()
        let pair: BoxKeyPair
        do { pair = try BoxKeyPair(secretKey: x.secretKey) } catch { throw .keyRejected }
        var message: [UInt8]
        do { message = try SealedBox.open(sealed, recipient: pair) } catch { throw .keyRejected }
        defer { for i in message.indices { message[i] = 0 } }
        guard message.count == plainBytes, message[0] == format else { throw .keyRejected }
        guard Array(message[(1 + SecretKey.byteCount)...]) == expectedSender else { throw .senderMismatch }
        do { return try SecretKey(bytes: Array(message[1...SecretKey.byteCount])) } catch { throw .keyRejected }
    }
}
