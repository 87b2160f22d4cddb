import ContentID
import Testing
import VeectorTransfer

/// A seeded random-input harness on the decoders: random bytes, and valid messages with random
/// bytes changed, inserted or cut. Every input either decodes to a message that re-encodes to the
/// same bytes (the encoding is canonical) or throws a typed error; nothing crashes.
@Suite struct DecoderFuzzTests {
    static func samples() throws -> [[UInt8]] {
        let c = CID.sha256(of: Array("fuzz".utf8))
        let (m, _) = try TransferManifest.splitting([UInt8](repeating: 7, count: 3000), chunkSize: 1000)
        let messages: [TransferMessage] = [
            .manifestRequest(c), .manifest(m), .want(c, [0, 1, 9]), .have(c, [0..<2, 4..<9]), .dontHave(c, [3]),
            .chunk(c, index: 2, bytes: Array("chunk".utf8)), .busy(c, retryAfterMilliseconds: 250, [1, 2]), .cancel(c, []),
        ]
        return messages.map { $0.encoded() } + [m.encoded()]
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomAndMutatedInputsNeverCrash(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let valid = try Self.samples()
        var decoded = 0, refused = 0
        for round in 0..<5_000 {
            var bytes: [UInt8]
            if round % 5 == 0 {
                bytes = g.bytes(Int(g.next() % 96))
                if bytes.count > 1 { bytes[0] = 1; bytes[1] = UInt8(1 + g.next() % 8) }
            } else {
                bytes = valid[Int(g.next() % UInt64(valid.count))]
                for _ in 0 ..< 1 + Int(g.next() % 3) {
                    let at = bytes.isEmpty ? 0 : Int(g.next() % UInt64(bytes.count))
                    switch g.next() % 4 {
                    case 0 where !bytes.isEmpty: bytes[at] = UInt8(truncatingIfNeeded: g.next())
                    case 1: bytes.insert(UInt8(truncatingIfNeeded: g.next()), at: at)
                    case 2 where !bytes.isEmpty: bytes.removeSubrange(at...)
                    default: if !bytes.isEmpty { bytes.remove(at: at) }
                    }
                }
            }
            do {
                let message = try TransferMessage(decoding: bytes)
                #expect(message.encoded() == bytes, "decoded \(message) from non-canonical bytes")
                decoded += 1
            } catch {
                #expect(!error.description.isEmpty)
                refused += 1
            }
            do {
                let manifest = try TransferManifest(decoding: bytes)
                #expect(manifest.encoded() == bytes)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(decoded > 100 && refused > 1_000, "the harness exercised both paths: \(decoded) decoded, \(refused) refused")
    }
}
