import ContentID
import Testing
import VeectorTransfer

/// The message and manifest encodings: exact bytes (the vectors in `Spec/transfer.md`), round
/// trips, and a typed error naming the field for each kind of bad input.
@Suite struct WireTests {
    /// The CID of "hello world" (raw, sha2-256), the content of every vector.
    static let hello = CID.sha256(of: Array("hello world".utf8))

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
    static func hex32(_ n: Int) -> String { hex([UInt8(n >> 24 & 255), UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)]) }
    static func unhex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = s.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
        return out
    }

    @Test func vectors() throws {
        let c = Self.hello
        #expect(Self.hex(c.bytes) == "01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        let cid = "24" + Self.hex(c.bytes)
        let vectors: [(TransferMessage, String)] = [
            (.manifestRequest(c), "0101" + cid),
            (.want(c, [0, 5]), "0103" + cid + "0002" + "00000000" + "00000005"),
            (.have(c, [0..<3, 7..<8]), "0104" + cid + "0002" + "00000000" + "00000003" + "00000007" + "00000008"),
            (.dontHave(c, []), "0105" + cid + "0000"),
            (.chunk(c, index: 1, bytes: Array("hi".utf8)), "0106" + cid + "00000001" + "00000002" + "6869"),
            (.busy(c, retryAfterMilliseconds: 1500, [4]), "0107" + cid + "000005dc" + "0001" + "00000004"),
            (.cancel(c, []), "0108" + cid + "0000"),
        ]
        for (message, expected) in vectors {
            #expect(Self.hex(message.encoded()) == expected, "\(message)")
            #expect(try TransferMessage(decoding: Self.unhex(expected)) == message)
        }
    }

    @Test func manifestVectorAndID() throws {
        let (m, chunks) = try TransferManifest.splitting(Array("hello world".utf8), chunkSize: 6)
        #expect(chunks.map { String(decoding: $0, as: UTF8.self) } == ["hello ", "world"])
        let expected = "5654524d" + "01" + "24" + Self.hex(Self.hello.bytes) + "000000000000000b" + "00000002"
            + "00000006" + Self.hex(Multihash.sha256(Array("hello ".utf8)).digest)
            + "00000005" + Self.hex(Multihash.sha256(Array("world".utf8)).digest)
        #expect(Self.hex(m.encoded()) == expected)
        #expect(m.id == CID(codec: TransferManifest.codec, multihash: .sha256(m.encoded())))
        #expect(try TransferManifest(decoding: m.encoded()) == m)
        let message = TransferMessage.manifest(m)
        #expect(Self.hex(message.encoded()) == "0102" + "24" + Self.hex(Self.hello.bytes) + Self.hex32(m.encoded().count) + expected)
        #expect(try TransferMessage(decoding: message.encoded()) == message)
        #expect(m.verifies(Array("world".utf8), index: 1))
        #expect(!m.verifies(Array("World".utf8), index: 1))
        #expect(m.isConsistentWithContent)
    }

    @Test func singleChunkManifestMustBeTheWhole() throws {
        let (m, _) = try TransferManifest.splitting(Array("hello world".utf8), chunkSize: 64)
        #expect(m.chunks.count == 1 && m.isConsistentWithContent)
        let wrong = try TransferManifest(content: Self.hello, chunks: [(11, Multihash.sha256(Array("hello World".utf8)).digest)])
        #expect(!wrong.isConsistentWithContent)
    }

    static func decodeError(_ bytes: [UInt8], limit: Int = 1 << 22) -> TransferWireError? {
        do { _ = try TransferMessage(decoding: bytes, limit: limit); return nil } catch { return error }
    }

    @Test func badInputGivesTypedErrorsNamingTheField() throws {
        let cid = "24" + Self.hex(Self.hello.bytes)
        #expect(Self.decodeError([]) == .truncated(field: "version", offset: 0))
        #expect(Self.decodeError([2, 1]) == .unsupportedVersion(2))
        #expect(Self.decodeError(Self.unhex("0109" + cid)) == .unknownKind(9))
        #expect(Self.decodeError(Self.unhex("0101" + cid + "00")) == .trailingBytes(1))
        #expect(Self.decodeError(Self.unhex("0103" + cid + "0000")) == .invalidField("want.count", offset: 39, reason: "must be in 1…512, got 0"))
        #expect(Self.decodeError(Self.unhex("0103" + cid + "0201")) == .invalidField("want.count", offset: 39, reason: "must be in 1…512, got 513"))
        #expect(Self.decodeError(Self.unhex("0103" + cid + "0002" + "00000001")) == .truncated(field: "want[1]", offset: 45))
        #expect(Self.decodeError(Self.unhex("0103" + cid + "0001" + "00010000")) == .invalidField("want[0]", offset: 41, reason: "must be in 0…65535, got 65536"))
        #expect(Self.decodeError(Self.unhex("0104" + cid + "0002" + "00000000" + "00000003" + "00000002" + "00000004"))
                == .invalidField("have[1]", offset: 49, reason: "ranges must be non-empty, sorted and non-overlapping (2..<4)"))
        #expect(Self.decodeError(Self.unhex("0106" + cid + "00000000" + "00100001"))
                == .invalidField("chunk.length", offset: 43, reason: "must be in 1…1048576, got 1048577"))
        #expect(Self.decodeError(Self.unhex("0106" + cid + "00000000" + "00000004" + "6869")) == .truncated(field: "chunk.bytes", offset: 47))
        #expect(Self.decodeError(Self.unhex("010100")) == .invalidField("content.length", offset: 2, reason: "must be in 1…80, got 0"))
        if case .invalidField("content", offset: 3, _)? = Self.decodeError(Self.unhex("01010301ff00")) {} else { Issue.record("a bad CID must be refused") }
        let identity = CID(codec: .raw, multihash: Multihash(code: 0, digest: [1, 2]))
        if case let .invalidField(field, _, reason)? = Self.decodeError([1, 1, UInt8(identity.bytes.count)] + identity.bytes) {
            #expect(field == "content" && reason.contains("sha2-256"))
        } else { Issue.record("a non-sha2-256 CID must be refused") }
        let big = TransferMessage.chunk(Self.hello, index: 0, bytes: [UInt8](repeating: 1, count: 5000)).encoded()
        #expect(Self.decodeError(big, limit: 4096) == .messageTooLarge(bytes: big.count, limit: 4096))
        #expect(TransferWireError.messageTooLarge(bytes: 5, limit: 4).description.contains("exceeds"))
    }

    @Test func manifestErrors() throws {
        let (m, _) = try TransferManifest.splitting(Array("hello world".utf8), chunkSize: 6)
        var bytes = m.encoded()
        bytes[0] = 0x58
        #expect(throws: TransferWireError.badManifestMagic) { try TransferManifest(decoding: bytes) }
        bytes = m.encoded()
        bytes[49] = 0x0c   // declared size 12, chunks add to 11
        #expect(throws: TransferWireError.invalidField("manifest.size", offset: 42, reason: "declares 12 bytes but the chunks add up to 11")) {
            try TransferManifest(decoding: bytes)
        }
        bytes = m.encoded()
        #expect(throws: TransferWireError.truncated(field: "manifest.chunks", offset: 54)) { try TransferManifest(decoding: Array(bytes.dropLast())) }
        #expect(throws: TransferError.invalidChunkSize(0)) { try TransferManifest.splitting([1], chunkSize: 0) }
        #expect(throws: TransferError.invalidChunkSize(2 << 20)) {
            try TransferManifest(content: Self.hello, chunks: [(2 << 20, [UInt8](repeating: 0, count: 32))])
        }
        // A manifest message whose manifest names other content.
        let other = try TransferManifest.splitting(Array("other".utf8), chunkSize: 6).manifest
        var message = TransferMessage.manifest(other).encoded()
        let helloCID = Self.hello.bytes
        message.replaceSubrange(3 ..< 3 + helloCID.count, with: helloCID)
        if case .invalidField("manifest.content", _, _)? = Self.decodeError(message) {} else { Issue.record("mismatched manifest content must be refused") }
    }

    @Test func requestsAreToldApartFromAnswersByTheirKindByte() {
        let c = Self.hello
        let requests: [TransferMessage] = [.manifestRequest(c), .want(c, [1]), .cancel(c, [])]
        let answers: [TransferMessage] = [.have(c, []), .dontHave(c, []), .chunk(c, index: 0, bytes: [1]), .busy(c, retryAfterMilliseconds: 1, [])]
        for r in requests { #expect(r.isRequest && TransferMessage.isRequest(r.encoded())) }
        for a in answers { #expect(!a.isRequest && !TransferMessage.isRequest(a.encoded())) }
    }
}
