import Testing
import VeectorWire

@Suite("Bencode (BEP 3)")
struct BencodeTests {
    func decode(_ text: String, _ decoder: BencodeDecoder = BencodeDecoder()) throws(BencodeError) -> BencodeValue {
        try decoder.decode(Array(text.utf8))
    }

    func rejection(_ text: String, _ decoder: BencodeDecoder = BencodeDecoder()) -> BencodeError? {
        do { _ = try decoder.decode(Array(text.utf8)); return nil } catch { return error }
    }

    @Test func encodesCanonically() {
        #expect(BencodeValue.integer(42).encoded() == [UInt8](ascii: "i42e"))
        #expect(BencodeValue.integer(0).encoded() == [UInt8](ascii: "i0e"))
        #expect(BencodeValue.integer(-7).encoded() == [UInt8](ascii: "i-7e"))
        #expect(BencodeValue.integer(.min).encoded() == [UInt8](ascii: "i-9223372036854775808e"))
        #expect(BencodeValue("spam").encoded() == [UInt8](ascii: "4:spam"))
        #expect(BencodeValue.bytes([]).encoded() == [UInt8](ascii: "0:"))
        #expect(BencodeValue.list(["spam", "eggs", 3]).encoded() == [UInt8](ascii: "l4:spam4:eggsi3ee"))
        // Keys are written in raw byte order whatever order they were given in.
        let d: BencodeValue = ["spam": ["a", "b"], "cow": "moo", "Z": 1, "": 0]
        #expect(d.encoded() == [UInt8](ascii: "d0:i0e1:Zi1e3:cow3:moo4:spaml1:a1:bee"))
    }

    @Test func roundTripsNestedAndBinary() throws {
        let value: BencodeValue = .dictionary([
            [0xFF, 0x00]: .bytes([0, 1, 2, 255]),
            [0x00]: .list([.integer(.max), .integer(.min), .list([]), .dictionary([:])]),
        ])
        let bytes = value.encoded()
        #expect(try BencodeValue(decoding: bytes) == value)
        #expect(try BencodeValue(decoding: bytes).encoded() == bytes)
    }

    @Test func seededRandomRoundTrips() throws {
        var rng = SplitMix64(seed: 42)
        func random(_ depth: Int) -> BencodeValue {
            switch Int.random(in: 0..<(depth > 3 ? 2 : 4), using: &rng) {
            case 0: return .integer(Int64.random(in: .min ... .max, using: &rng))
            case 1: return .bytes((0..<Int.random(in: 0..<12, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            case 2: return .list((0..<Int.random(in: 0..<4, using: &rng)).map { _ in random(depth + 1) })
            default:
                var d: [[UInt8]: BencodeValue] = [:]
                for _ in 0..<Int.random(in: 0..<4, using: &rng) { d[[UInt8.random(in: 0...255, using: &rng)]] = random(depth + 1) }
                return .dictionary(d)
            }
        }
        for _ in 0..<300 {
            let v = random(0)
            #expect(try BencodeValue(decoding: v.encoded()) == v)
        }
    }

    @Test func rejectsWithOffsets() {
        #expect(rejection("i03e") == BencodeError(.leadingZero, at: 1))
        #expect(rejection("i-03e") == BencodeError(.leadingZero, at: 2))
        #expect(rejection("i-0e") == BencodeError(.negativeZero, at: 1))
        #expect(rejection("ie") == BencodeError(.missingDigits, at: 1))
        #expect(rejection("i-e") == BencodeError(.missingDigits, at: 2))
        #expect(rejection("i1x2e") == BencodeError(.unexpectedByte(UInt8(ascii: "x")), at: 2))
        #expect(rejection("i9223372036854775808e") == BencodeError(.integerOverflow, at: 1))
        #expect(rejection("i-9223372036854775809e") == BencodeError(.integerOverflow, at: 1))
        #expect(rejection("03:abc") == BencodeError(.leadingZero, at: 0))
        #expect(rejection("5:abc") == BencodeError(.lengthExceedsInput(length: 5, remaining: 3), at: 0))
        #expect(rejection("l99999999999999999999999:x") == BencodeError(.lengthExceedsInput(length: Int.max, remaining: 25), at: 1))
        #expect(rejection("i42ei1e") == BencodeError(.trailingBytes, at: 4))
        #expect(rejection("4:spamx") == BencodeError(.trailingBytes, at: 6))
        #expect(rejection("x") == BencodeError(.unexpectedByte(UInt8(ascii: "x")), at: 0))
        #expect(rejection("-1:a") == BencodeError(.unexpectedByte(UInt8(ascii: "-")), at: 0))
        #expect(rejection("") == BencodeError(.truncated, at: 0))
        #expect(rejection("i42") == BencodeError(.truncated, at: 3))
        #expect(rejection("4:spa") == BencodeError(.lengthExceedsInput(length: 4, remaining: 3), at: 0))
        #expect(rejection("l4:spam") == BencodeError(.truncated, at: 7))
        #expect(rejection("d3:cow") == BencodeError(.truncated, at: 6))
        #expect(rejection("4") == BencodeError(.truncated, at: 1))
        #expect(rejection("di1ei2ee") == BencodeError(.keyNotAString, at: 1))
        #expect(rejection("d1:bi1e1:ai2ee") == BencodeError(.unsortedKey, at: 7))
        #expect(rejection("d1:ai1e1:ai2ee") == BencodeError(.duplicateKey, at: 7))
    }

    @Test func lenientModeAcceptsUnsortedButNotDuplicateKeys() throws {
        let lenient = BencodeDecoder(allowUnsortedKeys: true)
        #expect(try decode("d1:bi1e1:ai2ee", lenient) == ["a": 2, "b": 1])
        #expect(rejection("d1:bi1e1:ai2e1:bi3ee", lenient) == BencodeError(.duplicateKey, at: 13))
    }

    @Test func nestingIsBounded() throws {
        let decoder = BencodeDecoder(maxDepth: 3)
        #expect(try decode("llleee", decoder) == [[[]]])
        #expect(rejection("lllleeee", decoder) == BencodeError(.tooDeep(limit: 3), at: 3))
        #expect(rejection("ddd1:ad1:ai1eeeee", decoder) != nil)
        // The default limit stops a 100 000-deep list without exhausting the stack.
        let deep = String(repeating: "l", count: 100_000) + String(repeating: "e", count: 100_000)
        #expect(rejection(deep) == BencodeError(.tooDeep(limit: 32), at: 32))
    }

    @Test func accessors() throws {
        let v = try decode("d1:ai1e1:b2:hi1:lli1eee")
        #expect(v["a"]?.integerValue == 1)
        #expect(v["b"]?.bytesValue == [UInt8](ascii: "hi"))
        #expect(v["l"]?.listValue?.count == 1)
        #expect(v["zz"] == nil)
        #expect(BencodeValue.integer(1).dictionaryValue == nil)
    }

    @Test func fuzzedInputNeverCrashes() {
        var rng = SplitMix64(seed: 7)
        let alphabet = [UInt8](ascii: "ilde0123456789:-x")
        let seed = [UInt8](ascii: "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = alphabet.randomElement(using: &rng)!
                case 1: bytes.remove(at: i)
                default: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
                }
                if bytes.isEmpty { break }
            }
            if let v = try? BencodeValue(decoding: bytes) { #expect(v.encoded() == bytes) }
            _ = try? KRPCMessage(decoding: bytes)
        }
    }
}
