import Foundation   // NSLock (Synchronization.Mutex needs macOS 15; the package supports 14)
import VeectorCrypto
import VeectorGossip

/// The simulator's `GossipWireChecks`: the real bencode decoder and the real libsodium Ed25519
/// check, each run once per distinct input and remembered, shared by every simulated node.
///
/// A relayed gossip message is the same frame bytes at every hop, so 500 nodes would otherwise
/// decode and verify the same few hundred bytes 500 times. Both functions are pure, and the memo
/// is keyed by the complete input bytes (the whole frame; signature, public key and signed
/// message), so every node gets exactly the answer the standard check gives for those bytes: a
/// forged or altered envelope is different bytes and is decoded and verified on its own. Every
/// node still runs its own validation (size, freshness, payload hash, signature verdict, scoring).
/// Only well-formed frames are remembered (malformed input is decoded every time). Frames are kept
/// in two generations of at most `capacity` each (when the newer fills up, the older is dropped),
/// so memory stays bounded while recent frames — the ones being relayed — are found; signatures,
/// at most `capacity` of them, are kept for the run.
final class SharedWireChecks: @unchecked Sendable {   // every table access holds `lock`
    private let lock = NSLock()
    private var frames: [ByteKey: GossipFrame] = [:]
    private var olderFrames: [ByteKey: GossipFrame] = [:]
    private var signatures: [ByteKey: Bool] = [:]
    /// Most remembered entries of each kind (beyond, inputs are checked every time).
    let capacity: Int

    /// An empty memo of at most twice `capacity` frames and `capacity` signatures.
    init(capacity: Int = 100_000) { self.capacity = capacity }

    /// The checks to hand to every node's `GossipNode`.
    var checks: GossipWireChecks {
        GossipWireChecks(readFrame: { [self] bytes, limit in readFrame(bytes, limit: limit) },
                         verifySignature: { [self] sig, message, key in verify(sig, message: message, publicKey: key) })
    }

    /// Distinct frames and signatures checked so far (for reports and tests).
    var remembered: (frames: Int, signatures: Int) {
        lock.withLock { (frames.count + olderFrames.count, signatures.count) }
    }

    /// `GossipFrame(decoding:limit:)`, remembered for well-formed frames.
    func readFrame(_ bytes: [UInt8], limit: Int) -> GossipFrame? {
        guard bytes.count <= limit else { return nil }   // what the decoder answers for a frame over the limit
        let key = ByteKey(bytes)
        if let known = lock.withLock({ frames[key] ?? olderFrames[key] }) { return known }
        guard let frame = try? GossipFrame(decoding: bytes, limit: limit) else { return nil }
        lock.withLock {
            if frames.count >= capacity {
                olderFrames = frames
                frames = [:]
            }
            frames[key] = frame
        }
        return frame
    }

    /// libsodium's verdict on `sig` over `message` by `publicKey`, remembered by all three.
    func verify(_ sig: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard sig.count == SigningKeyPair.signatureBytes, publicKey.count == SigningKeyPair.publicKeyBytes else {
            return Signature.verify(sig, message: message, publicKey: publicKey)
        }
        let key = ByteKey(sig + publicKey + message)   // fixed-length prefix: the split is unambiguous
        if let known = lock.withLock({ signatures[key] }) { return known }
        let valid = Signature.verify(sig, message: message, publicKey: publicKey)
        lock.withLock { if signatures.count < capacity { signatures[key] = valid } }
        return valid
    }
}
