import Foundation
import Testing
import VeectorDB
import VeectorTestSupport

/// Kills a real writer process with SIGKILL at random moments, again and again on the same
/// database, and checks after every kill that the database holds exactly a prefix of the writer's
/// transactions — every acknowledged one, at most one more, each whole (all its records or none).
///
/// Trials: `VEECTOR_CRASH_TRIALS` (default 20; the full suite runs 200).
@Suite("Crash injection", .serialized)
struct CrashInjectionTests {
    static var trials: Int { Int(ProcessInfo.processInfo.environment["VEECTOR_CRASH_TRIALS"] ?? "") ?? 20 }

    @Test func sigkillAtRandomMomentsLeavesExactlyAnAcknowledgedPrefix() throws {
        let stress = try #require(builtProduct("veectordb-stress"), "build veectordb-stress first (swift build)")
        let dir = TemporaryDirectory(prefix: "veector-crash")
        var rng = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["VEECTOR_CRASH_SEED"] ?? "") ?? 20261123)
        let ops = 3
        var committed = 0          // transactions known to be in the database
        var killedMidWrite = 0
        for trial in 0..<Self.trials {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: stress)
            // Every third trial also compacts often, so kills land inside compactions and checkpoints too.
            p.arguments = ["--dir", dir.path, "--ops", "\(ops)", "--value-size", "900",
                           "--compact-every", trial % 3 == 0 ? "13" : "0", "--checkpoint-entries", "300",
                           "--segment-size", "\(96 << 10)"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            let reader = CollectedOutput(out.fileHandleForReading)
            try p.run()
            usleep(UInt32(10_000 + rng.next() % 140_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let lines = reader.finish().split(separator: "\n")
            guard p.terminationReason == .uncaughtSignal else {
                Issue.record("trial \(trial): writer exited by itself (status \(p.terminationStatus)): \(lines.suffix(3))")
                return
            }
            killedMidWrite += 1
            let start = lines.first.flatMap { $0.hasPrefix("start ") ? Int($0.dropFirst(6)) : nil }
            // A writer killed while still opening printed nothing yet.
            #expect(start == nil || start == committed, "trial \(trial): writer resumed at \(String(describing: start)), expected \(committed)")
            let acks = lines.compactMap { $0.hasPrefix("ack ") ? Int($0.dropFirst(4)) : nil }
            let lastAck = acks.last ?? (committed - 1)

            var options = DatabaseOptions()
            options.policies = [StressLayout.counter: .latest(1)]
            let db = try Database.open(path: dir.path, options: options)
            let counter = try db.get(StressLayout.counter, StressLayout.counterKey).map { Int(StressLayout.decodeCounter($0.value)) } ?? -1
            let present = counter + 1
            #expect(present >= lastAck + 1, "trial \(trial): acknowledged transaction \(lastAck) lost (database has \(present))")
            #expect(present <= lastAck + 2, "trial \(trial): \(present) transactions present but only \(lastAck + 1) acknowledged")
            for op in 0..<ops {
                let keys = db.scan(StressLayout.collection(op)).map(\.key)
                #expect(keys == (0..<present).map(StressLayout.key), "trial \(trial): collection \(op) is not exactly the prefix 0..<\(present)")
            }
            // Spot-check values of the newest transactions (where damage would be).
            for n in max(0, present - 3)..<present {
                for op in 0..<ops {
                    #expect(try db.get(StressLayout.collection(op), StressLayout.key(n))?.value == StressLayout.value(txn: n, op: op, size: 900))
                }
            }
            let check = db.check()
            #expect(check.isHealthy, "trial \(trial): \(check.problems)")
            try db.close()
            committed = present
            if !check.isHealthy || present < lastAck + 1 { return }
        }
        print("crash trials: \(Self.trials), all killed mid-run: \(killedMidWrite), transactions committed in total: \(committed)")
    }
}
