// veectordb-stress: writes numbered transactions to a VeectorDB as fast as it can and prints
// "ack N" on stdout after each commit returns. The crash-injection tests kill it with SIGKILL at
// random moments and then check that the database holds exactly a prefix of the transactions that
// includes every acknowledged one. Each run resumes where the database left off.
//
//   veectordb-stress --dir DIR [--txns N] [--ops K] [--value-size V] [--compact-every C]
//                    [--checkpoint-entries E] [--segment-size S]
import Foundation
import VeectorDB

struct Options {
    var dir = ""
    var txns = Int.max
    var ops = 4
    var valueSize = 700
    var compactEvery = 0
    var checkpointEntries = 500
    var segmentSize: UInt64 = 256 << 10
}

func parse() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let a = args.next() {
        guard let v = args.next() else { fail("missing value after \(a)") }
        switch a {
        case "--dir": o.dir = v
        case "--txns": o.txns = number(v, "--txns")
        case "--ops": o.ops = number(v, "--ops")
        case "--value-size": o.valueSize = number(v, "--value-size")
        case "--compact-every": o.compactEvery = number(v, "--compact-every")
        case "--checkpoint-entries": o.checkpointEntries = number(v, "--checkpoint-entries")
        case "--segment-size": o.segmentSize = number(v, "--segment-size")
        default: fail("unknown option \(a)")
        }
    }
    if o.dir.isEmpty { fail("--dir is required") }
    return o
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("veectordb-stress: \(message)\n".utf8))
    exit(2)
}

func number<T: LosslessStringConvertible>(_ text: String, _ flag: String) -> T {
    guard let v = T(text) else { fail("bad value for \(flag): \(text)") }
    return v
}

/// Writes a line to stdout unbuffered, so the parent sees every acknowledgement before a kill.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let options = parse()
var dbOptions = DatabaseOptions()
dbOptions.checkpointEntries = options.checkpointEntries
dbOptions.segmentSize = options.segmentSize
dbOptions.policies = [StressLayout.counter: .latest(1)]
let db: Database
do { db = try Database.open(path: options.dir, options: dbOptions) } catch { fail("\(error)") }
// Resume after the last committed transaction.
var next = 0
if let r = try? db.get(StressLayout.counter, StressLayout.counterKey) {
    next = Int(StressLayout.decodeCounter(r.value)) + 1
}
say("start \(next)")
var written = 0
while written < options.txns {
    var txn = Transaction()
    for op in 0..<options.ops {
        txn.put(StressLayout.collection(op), StressLayout.key(next), StressLayout.value(txn: next, op: op, size: options.valueSize))
    }
    txn.put(StressLayout.counter, StressLayout.counterKey, StressLayout.encodeCounter(UInt64(next)))
    do { try db.commit(txn) } catch { fail("commit \(next): \(error)") }
    say("ack \(next)")
    next += 1
    written += 1
    if options.compactEvery > 0 && next % options.compactEvery == 0 {
        do { _ = try db.compact() } catch { fail("compact: \(error)") }
        say("compacted \(next)")
    }
}
do { try db.close() } catch { fail("close: \(error)") }
