import Foundation
import Testing
import ContentID

/// Vectors produced with the Python `multiformats` package (0.3.x) in a throwaway venv:
///     from multiformats import CID, multihash
///     CID("base32", 1, "raw", multihash.digest(data, "sha2-256"))
/// and `.set(base="base58btc", version=0).encode()` for the CIDv0 forms.
@Suite("CID test vectors")
struct CIDVectorTests {
    static let oneMiB = [UInt8]((0 ..< (1 << 20)).map { UInt8($0 % 251) })

    @Test(arguments: [
        ("", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
        ("hello world", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"),
    ])
    func rawSHA256(text: String, expected: String) throws {
        let cid = CID.sha256(of: Array(text.utf8))
        #expect(cid.description == expected)
        #expect(try CID(expected) == cid)
    }

    @Test func oneMebibytePattern() {
        // bytes(i % 251 for i in range(1 << 20))
        #expect(CID.sha256(of: Self.oneMiB).description == "bafkreidddocae7lltzjlkooe5a3tmiwsgazn7logjvqk7bzttsidpzhxne")
    }

    @Test func codecsChangeOnlyThePrefix() {
        let data = Array("hello world".utf8)
        #expect(CID.sha256(of: data, codec: .dagPB).description == "bafybeifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        #expect(CID.sha256(of: data, codec: .dagCBOR).description == "bafyreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
    }

    @Test func binaryForm() throws {
        let cid = CID.sha256(of: Array("hello world".utf8))
        let expected = hexBytes("01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        #expect(cid.bytes == expected)
        #expect(try CID(bytes: expected) == cid)
        #expect(cid.sha256Digest == Array(expected.dropFirst(4)))
    }

    @Test func base58btcForms() throws {
        let cid = CID.sha256(of: Array("hello world".utf8))
        #expect(Multibase.encodeBase58btc(cid.bytes) == "zb2rhj7crUKTQYRGCRATFaQ6YFLTde2YzdqbbhAASkL9uRDXn")
        #expect(try CID("zb2rhj7crUKTQYRGCRATFaQ6YFLTde2YzdqbbhAASkL9uRDXn") == cid)
    }

    @Test func cidV0BecomesV1DagPB() throws {
        let v0 = try CID("QmaozNR7DZHQK1ZcU9p7QdrshMvXqWK6gpu5rmrkPdT3L4")
        #expect(v0.codec == .dagPB)
        #expect(v0.description == "bafybeifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        #expect(Multibase.encodeBase58(v0.multihash.bytes) == "QmaozNR7DZHQK1ZcU9p7QdrshMvXqWK6gpu5rmrkPdT3L4")
        let other = try CID("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n")
        #expect(other.description == "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
        #expect(try CID(bytes: v0.multihash.bytes) == v0)
    }

    @Test func streamingHasherMatchesOneShot() {
        var hasher = ContentHasher()
        var position = 0
        for step in [0, 1, 63, 64, 65, 100_000, (1 << 20) - 100_193] {
            hasher.update(Array(Self.oneMiB[position ..< position + step]))
            position += step
        }
        #expect(position == Self.oneMiB.count)
        #expect(hasher.finalize() == CID.sha256(of: Self.oneMiB))
        #expect(ContentHasher().finalize(codec: .raw) == CID.sha256(of: []))
    }
}

@Suite("CID parsing and errors")
struct CIDParsingTests {
    @Test func roundTripsAndOrdering() throws {
        var cids: [CID] = []
        for i in 0..<50 {
            let cid = CID.sha256(of: [UInt8](repeating: UInt8(i), count: i))
            #expect(try CID(cid.description) == cid)
            #expect(try CID(bytes: cid.bytes) == cid)
            cids.append(cid)
        }
        let sorted = cids.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(a.bytes.lexicographicallyPrecedes(b.bytes))
        }
    }

    @Test func codableAsString() throws {
        let cid = CID.sha256(of: [1, 2, 3])
        let encoded = try JSONEncoder().encode([cid])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"\(cid.description)\"]")
        #expect(try JSONDecoder().decode([CID].self, from: encoded) == [cid])
    }

    @Test func badInputIsRejectedWithAReason() {
        #expect(throws: ContentIDError.empty) { try CID("") }
        #expect(throws: ContentIDError.unsupportedMultibase("x")) { try CID("xabc") }
        #expect(throws: ContentIDError.invalidCharacter("1", position: 3, base: "base32")) {
            try CID("baf1reifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        }
        #expect(throws: ContentIDError.invalidCharacter("A", position: 2, base: "base32")) {
            try CID("baAkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")
        }
        #expect(throws: ContentIDError.invalidCharacter("0", position: 5, base: "base58btc")) {
            try CID("zb2rh0crUKTQYRGCRATFaQ6YFLTde2YzdqbbhAASkL9uRDXn")
        }
        // Cut short: the multihash declares 32 bytes.
        #expect(throws: ContentIDError.self) { try CID("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n") }
        #expect(throws: ContentIDError.unsupportedVersion(2)) { try CID(bytes: [2, 0x55, 0x12, 0x20] + [UInt8](repeating: 0, count: 32)) }
        #expect(throws: ContentIDError.trailingBytes(1)) { try CID(bytes: CID.sha256(of: []).bytes + [0]) }
        #expect(throws: ContentIDError.wrongDigestLength(code: 0x12, expected: 32, got: 3)) { try CID(bytes: [1, 0x55, 0x12, 3, 1, 2, 3]) }
        #expect(ContentIDError.varintTruncated.description.contains("cut short"))
    }

    @Test func multihashIdentityAndOtherCodes() throws {
        let mh = Multihash(code: Multihash.identityCode, digest: [1, 2, 3])
        #expect(mh.bytes == [0, 3, 1, 2, 3])
        #expect(try Multihash(bytes: mh.bytes) == mh)
        let cid = CID(codec: .raw, multihash: mh)
        #expect(cid.sha256Digest == nil)
        #expect(try CID(cid.description) == cid)
    }
}

@Suite("Varint and multibase")
struct VarintMultibaseTests {
    @Test func varintKnownEncodings() throws {
        let cases: [(UInt64, [UInt8])] = [(0, [0]), (1, [1]), (127, [0x7F]), (128, [0x80, 0x01]),
                                          (255, [0xFF, 0x01]), (300, [0xAC, 0x02]), (16384, [0x80, 0x80, 0x01]),
                                          (Varint.maxValue, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])]
        for (value, bytes) in cases {
            #expect(Varint.encode(value) == bytes)
            let decoded = try Varint.decode(bytes)
            #expect(decoded.value == value && decoded.length == bytes.count)
        }
    }

    @Test func varintErrors() {
        #expect(throws: ContentIDError.varintTruncated) { try Varint.decode([0x80]) }
        #expect(throws: ContentIDError.varintTruncated) { try Varint.decode([UInt8]()) }
        #expect(throws: ContentIDError.varintNotMinimal) { try Varint.decode([0x81, 0x00]) }
        #expect(throws: ContentIDError.varintOverlong) { try Varint.decode([UInt8](repeating: 0x80, count: 9) + [1]) }
    }

    @Test func base32RoundTripsAndRFC4648Vectors() throws {
        // RFC 4648 section 10, lower-cased, padding removed.
        let vectors = [("", ""), ("f", "my"), ("fo", "mzxq"), ("foo", "mzxw6"), ("foob", "mzxw6yq"),
                       ("fooba", "mzxw6ytb"), ("foobar", "mzxw6ytboi")]
        for (plain, encoded) in vectors {
            #expect(Multibase.encodeBase32(Array(plain.utf8)) == "b" + encoded)
            #expect(try Multibase.decode("b" + encoded) == Array(plain.utf8))
            #expect(try Multibase.decode("B" + encoded.uppercased()) == Array(plain.utf8))
        }
        #expect(throws: ContentIDError.self) { try Multibase.decode("bmz") }   // 10 bits: non-zero leftovers
        #expect(throws: ContentIDError.self) { try Multibase.decode("bm") }    // 5 bits: impossible length
    }

    @Test func base58RoundTrips() throws {
        for bytes in [[UInt8](), [0], [0, 0, 1], [255, 254], Array("hello world".utf8)] {
            #expect(try Multibase.decode(Multibase.encodeBase58btc(bytes)) == bytes)
        }
        #expect(Multibase.encodeBase58(Array("hello world".utf8)) == "StV1DL6CwTryKyV")
    }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index ..< next], radix: 16)!)
        index = next
    }
    return out
}
