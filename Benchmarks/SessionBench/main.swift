// veector-session-bench: throughput of SessionCore alone (no sockets): one side encrypts and
// frames messages, the other decrypts and reassembles them, in one thread. Run in release:
//   swift build -c release --product veector-session-bench --jobs 2 && .build/release/veector-session-bench [MiB] [message KiB]
// With --tcp: bulk transfer over loopback TCP through the real driver (VeectorNet's SessionEndpoint)
// beside plain NIO TCP with the same framing, 1 MiB and 16 KiB messages (TCPThroughput.swift):
//   .build/release/veector-session-bench --tcp [MiB per run, default 256] [rounds, default 3]
import Foundation
import VeectorCrypto
import VeectorSession
import VeectorWire

struct SystemRNG: RandomNumberGenerator {
    var inner = SystemRandomNumberGenerator()
    mutating func next() -> UInt64 { inner.next() }
}

let args = CommandLine.arguments.filter { $0 != "--tcp" }
let tcpMode = CommandLine.arguments.contains("--tcp")
let totalMiB = args.count > 1 ? Int(args[1]) ?? 512 : 512
let messageKiB = args.count > 2 ? Int(args[2]) ?? 1024 : 1024

func connect(_ rng: inout SystemRNG) -> (SessionCore, SessionCore) {
    var a = SessionCore(configuration: SessionConfiguration(role: .initiator, identity: .generate()))
    var b = SessionCore(configuration: SessionConfiguration(role: .responder, identity: .generate()))
    var toB: [UInt8] = [], toA: [UInt8] = []
    for case let .write(w) in b.handle(.start, now: .zero, rng: &rng) { toA += w }
    for case let .write(w) in a.handle(.start, now: .zero, rng: &rng) { toB += w }
    while !toA.isEmpty || !toB.isEmpty {
        let (x, y) = (toB, toA)
        toB = []; toA = []
        if !x.isEmpty { for case let .write(w) in b.handle(.received(x), now: .zero, rng: &rng) { toA += w } }
        if !y.isEmpty { for case let .write(w) in a.handle(.received(y), now: .zero, rng: &rng) { toB += w } }
    }
    precondition(a.isEstablished && b.isEstablished, "handshake failed")
    return (a, b)
}

func run() {
var rng = SystemRNG()
let clock = ContinuousClock()
// Handshakes per second (both sides, four X25519 operations each plus key conversion).
let handshakes = 200
let hsTime = clock.measure { for _ in 0..<handshakes { _ = connect(&rng) } }
let hsSeconds = Double(hsTime.components.seconds) + Double(hsTime.components.attoseconds) / 1e18

var (a, b) = connect(&rng)
let message = [UInt8](repeating: 0xA5, count: messageKiB * 1024)
let rounds = max(1, totalMiB * 1024 / messageKiB)
var delivered = 0
var wire = 0
let elapsed = clock.measure {
    for _ in 0..<rounds {
        for case let .write(w) in a.handle(.send(message), now: .zero, rng: &rng) {
            wire += w.count
            _ = a.handle(.flushed(w.count), now: .zero, rng: &rng)
            for case let .deliver(m) in b.handle(.received(w), now: .zero, rng: &rng) { delivered += m.count }
        }
    }
}
precondition(delivered == rounds * message.count, "lost data")
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

// The ceiling: libsodium ChaCha20-Poly1305 seal + open of 65519-byte frames, nothing else.
let key = SecretKey.random()
let nonce = [UInt8](repeating: 0, count: 12)
let frame = [UInt8](repeating: 1, count: 65519)
var raw = 0
let rawTime = clock.measure {
    for _ in 0..<(totalMiB * 16) {
        let sealed = ChaCha20Poly1305IETF.seal(frame, key: key, nonce: nonce)
        raw += try! ChaCha20Poly1305IETF.open(sealed, key: key, nonce: nonce).count
    }
}
let rawSeconds = Double(rawTime.components.seconds) + Double(rawTime.components.attoseconds) / 1e18

let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("model name") }.map { String($0.split(separator: ":")[1]).trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
print("CPU: \(cpu)")
print(String(format: "handshakes: %d in %.3f s = %.0f per second (both sides in one thread)", handshakes, hsSeconds, Double(handshakes) / hsSeconds))
print(String(format: "session: %d MiB of %d KiB messages, encrypt+frame+decrypt+reassemble: %.3f s = %.0f MB/s (%.1f%% wire overhead)",
             delivered >> 20, messageKiB, seconds, Double(delivered) / seconds / 1e6, 100 * Double(wire - delivered) / Double(delivered)))
print(String(format: "raw libsodium ChaCha20-Poly1305 seal+open of 64 KiB frames: %.0f MB/s", Double(raw) / rawSeconds / 1e6))
}

if tcpMode {
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }.map { String($0.split(separator: ":")[1]).trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    print("CPU: \(cpu)")
    let tcpMiB = args.count > 1 ? Int(args[1]) ?? 256 : 256
    let rounds = args.count > 2 ? Int(args[2]) ?? 3 : 3
    do { try await TCPThroughput.run(totalMiB: tcpMiB, rounds: max(1, rounds)) } catch {
        print("TCP benchmark failed: \(error)")
        exit(1)
    }
} else {
    run()
}
