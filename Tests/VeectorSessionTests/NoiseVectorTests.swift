import Testing
import VeectorCrypto
import VeectorSession
import VeectorTestSupport

/// The Noise handshake against test vectors: snow's published Noise_XX_25519_ChaChaPoly_BLAKE2b
/// vector, the published cacophony vectors for NN, XN and IX (25519, ChaChaPoly, BLAKE2b), and
/// XX vectors with cacophony's inputs computed by Tests/Reference/noise_reference.py, an
/// independent implementation (Python `cryptography` + hashlib) that reproduces all the published
/// ones. Spec/wire.md, "Sessions", lists them.
@Suite("Noise test vectors")
struct NoiseVectorTests {
    static let prologue = [UInt8](hex: "4a6f686e2047616c74")
    static let initStatic = try! X25519KeyPair(secretBytes: [UInt8](hex: "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1"))
    static let respStatic = try! X25519KeyPair(secretBytes: [UInt8](hex: "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893"))
    static let initEphemeral = try! X25519KeyPair(secretBytes: [UInt8](hex: "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a"))
    static let respEphemeral = try! X25519KeyPair(secretBytes: [UInt8](hex: "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b"))
    static let payloads: [[UInt8]] = [
        "4c756477696720766f6e204d69736573", "4d757272617920526f746862617264", "462e20412e20486179656b",
        "4361726c204d656e676572", "4a65616e2d426170746973746520536179", "457567656e2042f6686d20766f6e2042617765726b",
    ].map { [UInt8](hex: $0) }

    static let published: [String: [String]] = [
        "NN": ["ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573",
               "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843d10cf8ef4ab895bed3e4673211f0c9337039d63a450c7b28196b8a0ebade00",
               "e50ec882703a1f34bf4957d8cafd036d34e02930f672f424c676e1",
               "35bb2a728d3e8e5f47781d486089e4a37c5c2e4261256f44569a9f",
               "69ee82006e16b79438a34ad9de37ee44d83c267e355750ecf49f194b5c50403030",
               "c568b641b01d2f644f2a890538c359915ca50552e55129c029d3721866c2646a7af3fd1eff"],
        "XN": ["ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573",
               "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884305d2ea2e8f8ff7966541b6805e3f5f0fd6b68be05d1c51b15074a0b9fbf379",
               "f715c17b399cf3a6f3af2f526ad0a7a05fb7908c35e0fce4d4a2cc85ac56358064089ebcdd3d7ca383443ad81632e3d98ea5ee64354d415c3a34776b29dbfb353e8697406fa89794b9d7de",
               "b7df22961c2f557eef73ce9c793edbce2feaaa634813c9a8c7a7e9",
               "1db24f1ac5740f1731f2dafd7178549a71c7bb3cf6b61af2552b12fc13f2dd18c0",
               "ed7a84ef366a3011ec3c103b9310ef4a82c2177125cdb3d67cfb8037f2e41c9fbc9278ff47"],
        "IX": ["ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79446bc3822a2aa7f4e6981d6538692b3cdf3e6df9eea6ed269eb41d93c22757b75a4c756477696720766f6e204d69736573",
               "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f1448088433f1aa60070835da4ba78f09ccb798953addc1f6984ceceeaf7427834306b13e8b82f3a7169263013a03c31d16890c7359ca7ce81760aa3b364c79a2694634b9f48f73a89d832c6f48b0bb1c7d8e6c3",
               "7b819fee364e9a7e59f86c2866ce9c858ec0168cd5b4e06042dac4",
               "927111f8a96c5eece70962dc4aca610b6a8af566dbe92f443609a2",
               "645fb96284174500f9e74e4ba02c67c5bc5fc3e202480ada0558601c967179ef43",
               "45f0190eeb871a978a68348f3b3520503c24aa9bd64eb1fab9a90a59e1b107b4beff18c66f"],
    ]

    static let xx = [
        "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573",
        "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f1448088430505b6745ce64a5f33f0e8e3b83f11ce8802bca507f4f2d8b564dbe277e1966116e132faa2dfd70b8b077b9f94b913df5056ae1319469b824a98d54bbaa82c325595587064f978c4b6d104f7596e6f",
        "99579e1c1ee15e422a57ddd6b16d37087b17558e8369c18991b4b2ca3a824abf904cdcf5458b5431a75af034ca9e9b982de039eaaf156775e2d580cd4e5ebae89c3f8cb2594b556d8a8169",
        "fc56eea290b3f3a21aac0c70cd5787b5ee99be37d2f4d751329b55",
        "bb31c9da10d5639a4cdb88a12f5c61de41bbc7df09bf75d94f8184fe4157f5c68f",
        "f6199cadb152fb27f82be0a0891ec76a33598ae92a46cab2fb5a8ed5bf48b7f267f8370af7",
    ]
    static let xxHandshakeHash = "8cf47d7b3cb5804c0109d48e8bcdbee2cbb65687d8ea2c92994ca361fb86151ad93627b98936cbb32de56e8abb21def3925011ac3e35db9cbeea73ab9a4392c2"
    static let xxAfterRekey = "07330069f69c0a9046f8efd291764527433f14fe6534f18de618bb00378f436e"

    /// One vector's inputs: keys, prologue and payloads.
    struct Inputs {
        var prologue: [UInt8]
        var initStatic: X25519KeyPair
        var respStatic: X25519KeyPair
        var initEphemeral: X25519KeyPair
        var respEphemeral: X25519KeyPair
        var payloads: [[UInt8]]
    }

    static let cacophony = Inputs(prologue: prologue, initStatic: initStatic, respStatic: respStatic,
                                  initEphemeral: initEphemeral, respEphemeral: respEphemeral, payloads: payloads)

    /// Runs a vector's exchange: the handshake messages, then transport messages alternating
    /// initiator, responder (the cacophony and snow convention). Returns every ciphertext and
    /// both sides' final states.
    static func exchange(_ pattern: NoisePattern, _ v: Inputs = cacophony) throws
        -> (messages: [[UInt8]], initiator: NoiseHandshake, a: (NoiseCipherState, NoiseCipherState), b: (NoiseCipherState, NoiseCipherState)) {
        let sendsInitiatorStatic = stride(from: 0, to: pattern.messages.count, by: 2).contains { pattern.messages[$0].contains(.s) }
        let sendsResponderStatic = stride(from: 1, to: pattern.messages.count, by: 2).contains { pattern.messages[$0].contains(.s) }
        var a = NoiseHandshake(pattern: pattern, initiator: true, prologue: v.prologue,
                               localStatic: sendsInitiatorStatic ? v.initStatic : nil, fixedEphemeral: v.initEphemeral)
        var b = NoiseHandshake(pattern: pattern, initiator: false, prologue: v.prologue,
                               localStatic: sendsResponderStatic ? v.respStatic : nil, fixedEphemeral: v.respEphemeral)
        var rng = SplitMix64(seed: 1)
        var out: [[UInt8]] = []
        let n = pattern.messages.count
        for i in 0..<n {
            let ct: [UInt8]
            if i % 2 == 0 {
                ct = try a.writeMessage(payload: v.payloads[i], rng: &rng)
                #expect(try b.readMessage(ct) == v.payloads[i])
            } else {
                ct = try b.writeMessage(payload: v.payloads[i], rng: &rng)
                #expect(try a.readMessage(ct) == v.payloads[i])
            }
            out.append(ct)
        }
        #expect(a.isComplete && b.isComplete)
        #expect(a.handshakeHash == b.handshakeHash)
        var (aSend, aReceive) = try a.split()
        var (bSend, bReceive) = try b.split()
        for i in n..<v.payloads.count {
            let ct: [UInt8]
            if i % 2 == 0 {
                ct = try aSend.encrypt(v.payloads[i], ad: [])
                #expect(try bReceive.decrypt(ct, ad: []) == v.payloads[i])
            } else {
                ct = try bSend.encrypt(v.payloads[i], ad: [])
                #expect(try aReceive.decrypt(ct, ad: []) == v.payloads[i])
            }
            out.append(ct)
        }
        return (out, a, (aSend, aReceive), (bSend, bReceive))
    }

    /// snow's published vector for Noise_XX_25519_ChaChaPoly_BLAKE2b (tests/vectors/snow.txt in
    /// the snow repository): the protocol Veector sessions run, byte for byte.
    @Test func snowPublishedXXVector() throws {
        let v = Inputs(
            prologue: Array("There is no right and wrong. There's only fun and boring.".utf8),
            initStatic: try X25519KeyPair(secretBytes: [UInt8](hex: "842752777821bd4c9a6a84c777cb9028ba2446c864e035c8d380632dca3a7702")),
            respStatic: try X25519KeyPair(secretBytes: [UInt8](hex: "8885e7006b27a44bec4a6e7bfcc37032a3564a73bf9588585bd1166829d80d8a")),
            initEphemeral: try X25519KeyPair(secretBytes: [UInt8](hex: "5dfce6be0b767fc60a51e1d627711c67d63e97115cb3957a64a66919747ea47c")),
            respEphemeral: try X25519KeyPair(secretBytes: [UInt8](hex: "9c012e056ed37994a4bfb09f57a7505bf44c07e9784c3c2bcefd8880b2d85e21")),
            payloads: ["bcb708376354e0dc837fc3f7e0e9c8c59849fd907a129a3c0afde64e79d1ac09",
                       "77783888d07aa30dfeccf96d8da0a293546232bc8a460b5fbca479e3da54d3b2",
                       "420d0154f4e26a4224c201f3ecceddc06eb8896b78386978fb25b21dd276c6fb",
                       "58f929d4d8eda457fb01b3a09bb6391aac0d93477df9e3042355741747744571",
                       "c86af330a6b59de9d7ead76260204ef7e897a1323bdc0a9c5ea4450556ed0bf6"].map { [UInt8](hex: $0) })
        let (messages, _, _, _) = try Self.exchange(.xx, v)
        #expect(messages.map(\.hex) == [
            "50a7da541baa50d563e3fd3526f53e9b7e4af8083a4180b5d1f8cd49fbe30518bcb708376354e0dc837fc3f7e0e9c8c59849fd907a129a3c0afde64e79d1ac09",
            "6b0ae570deada82b6f3071c87bd361014c34f8d15fee49ed0078f38a9c05bb703c2eb46ccc2734a9c07555b85d6f0b5ae29f24aaa2c351d815acd2e1de7770344339d0d854daf5a4468b189caf7ff643d6c5645e9e7fd5edcad6755ea0a01f51f552650ab99b7a0eba09f64b9dc0737f5756688682897c0912890a6ec56d72f8",
            "386d9e2549dcb9a016db7e05f45c19d2c4fd4e7a61d1c06dbd01d21012d448b34761826aa7b3fc8d0c5cc73d487c1f19ac29de837b4ccd361603f03d12f8971ae0534fbd8096fd5bc2c7bdc77026207623514afa5804d07a3b0c316f9e5a9c12",
            "c81ba3d22336cd78d64ff9e2161d339db9fd3a5407a3fb594fb7a59d718e83c6054b1002721e63ffb2a2d2d8bfd670bc",
            "1207c87bc8ec9b6d5db3a3d3ed5caab43c98e71492a424b7d7302ea8313d1b0e3644c9b3c479a80cdb3da1e92466b8ac",
        ])
    }

    @Test(arguments: [NoisePattern.nn, .xn, .ix])
    func publishedVectors(_ pattern: NoisePattern) throws {
        let (messages, _, _, _) = try Self.exchange(pattern)
        #expect(messages.map(\.hex) == Self.published[pattern.name])
    }

    @Test func xxVectors() throws {
        var (messages, initiator, a, b) = try Self.exchange(.xx)
        #expect(messages.map(\.hex) == Self.xx)
        #expect(initiator.handshakeHash.hex == Self.xxHandshakeHash)
        #expect(initiator.remoteStaticKey == Self.respStatic.publicKey)
        a.0.rekey()
        b.1.rekey()
        let ct = try a.0.encrypt(Self.payloads[0], ad: [])
        #expect(ct.hex == Self.xxAfterRekey)
        #expect(try b.1.decrypt(ct, ad: []) == Self.payloads[0])
        _ = initiator
    }

    @Test func outOfTurnAndTamperedMessagesAreRefused() throws {
        var rng = SplitMix64(seed: 7)
        var a = NoiseHandshake(pattern: .xx, initiator: true, prologue: [], localStatic: Self.initStatic)
        var b = NoiseHandshake(pattern: .xx, initiator: false, prologue: [], localStatic: Self.respStatic)
        #expect(throws: NoiseError.self) { try b.writeMessage(payload: [], rng: &rng) }
        let m1 = try a.writeMessage(payload: [], rng: &rng)
        _ = try b.readMessage(m1)
        var m2 = try b.writeMessage(payload: [1, 2, 3], rng: &rng)
        m2[40] ^= 1
        #expect(throws: NoiseError.authenticationFailed) { try a.readMessage(m2) }
        #expect(throws: NoiseError.truncated(needed: 32, got: 5)) {
            var c = NoiseHandshake(pattern: .xx, initiator: false, prologue: [], localStatic: Self.respStatic)
            _ = try c.readMessage([1, 2, 3, 4, 5])
        }
    }
}

/// The transport framing vector of Spec/wire.md ("Sessions"), also printed by
/// Tests/Reference/noise_reference.py: frames sealed exactly as SessionCore seals them.
@Suite("Session framing vector")
struct FramingVectorTests {
    @Test func framesMatchTheSpec() throws {
        var c = NoiseCipherState(key: try SecretKey(bytes: Array(0..<32)))
        func frame(_ plaintext: [UInt8]) throws -> String {
            let ct = try c.encrypt(plaintext, ad: [])
            return ([UInt8(ct.count >> 8), UInt8(ct.count & 0xff)] + ct).hex
        }
        let hello = [0x00, 0, 0, 0, 5] + Array("hello".utf8)
        #expect(try frame(hello) == "001a18b84231a88ec3bd7f0e64f626bb035cd46aac45aad15e1715b3")
        #expect(try frame([0x02]) == "00119d78fed5719a58b210d8bd7642b457847a")
        c.rekey()
        #expect(c.nonce == 2)
        #expect(try frame(hello) == "001a849be897e2fd3f876cbea2b34cae310afbeead952b34f28d2f15")
    }
}
