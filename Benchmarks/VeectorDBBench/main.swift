// veectordb-bench: the VeectorDB side of the VeectorDB-vs-SQLite benchmark (issue 2, section 6).
// Same workloads, arguments and output as Benchmarks/sqlite_bench.py: one JSON object per line,
//   {"engine": "veectordb", "workload": "put_txn1", "ops": 100000, "seconds": 12.3}
// Durability is equal: every commit is fsynced (fdatasync) before it returns.
// Run both through Benchmarks/run-veectordb-vs-sqlite.sh.
import ContentID
import Foundation
import VeectorDB

let allWorkloads = ["put_txn1", "put_txn100", "get_random", "scan_range", "blob_put_10mib", "blob_get_10mib", "reopen", "put_txn1_4writers"]
let valueSize = 1024
let blobSize = 10 * 1024 * 1024

struct Arguments {
    var dir = ""
    var records = 100_000
    var blobs = 20
    var workloads = allWorkloads
}

func usage(_ message: String) -> Never {
    FileHandle.standardError.write(Data("veectordb-bench: \(message)\nusage: veectordb-bench --dir DIR [--records N] [--blobs B] [--workloads a,b]\n".utf8))
    exit(2)
}

func parseArguments() -> Arguments {
    var a = Arguments()
    var it = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = it.next() {
        guard let v = it.next() else { usage("missing value after \(flag)") }
        switch flag {
        case "--dir": a.dir = v
        case "--records": a.records = Int(v) ?? 0
        case "--blobs": a.blobs = Int(v) ?? 0
        case "--workloads": a.workloads = v.split(separator: ",").map(String.init)
        default: usage("unknown option \(flag)")
        }
    }
    if a.dir.isEmpty { usage("--dir is required") }
    if a.records < 1 || a.blobs < 1 { usage("--records and --blobs must be whole numbers ≥ 1") }
    if let bad = a.workloads.first(where: { !allWorkloads.contains($0) }) { usage("unknown workload \(bad)") }
    return a
}

/// splitmix64, for deterministic inputs.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes(_ n: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        out.withUnsafeMutableBytes { b in
            var i = 0
            while i + 8 <= n { b.storeBytes(of: next(), toByteOffset: i, as: UInt64.self); i += 8 }
            while i < n { b[i] = UInt8(truncatingIfNeeded: next()); i += 1 }
        }
        return out
    }
}

func key(_ i: Int) -> [UInt8] { Array("k\(String(i).leftPadded(10))".utf8) }

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

func report(_ workload: String, _ ops: Int, _ seconds: Double) {
    FileHandle.standardOutput.write(Data("{\"engine\": \"veectordb\", \"workload\": \"\(workload)\", \"ops\": \(ops), \"seconds\": \(seconds)}\n".utf8))
}

func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func fresh(_ args: Arguments, _ name: String) throws -> Database {
    let path = args.dir + "/" + name
    if FileManager.default.fileExists(atPath: path) { usage("\(path) already exists; pass a fresh --dir") }
    return try Database.open(path: path)
}

func put(_ db: Database, _ order: [Int], _ values: [[UInt8]], batch: Int) throws -> Double {
    try time {
        var i = 0
        while i < order.count {
            var txn = Transaction()
            for j in i..<min(i + batch, order.count) { txn.put("kv", key(order[j]), values[order[j]]) }
            try db.commit(txn)
            i += batch
        }
    }
}

let args = parseArguments()
try FileManager.default.createDirectory(atPath: args.dir, withIntermediateDirectories: true)
let n = args.records
var keyRandom = Random(state: 1)
var order = Array(0..<n)
for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(keyRandom.next() % UInt64(i + 1))) }
var valueRandom = Random(state: 2)
let needsRecords = args.workloads.contains { $0.hasPrefix("put") || $0.hasPrefix("get") || $0.hasPrefix("scan") || $0 == "reopen" }
let values: [[UInt8]] = needsRecords ? (0..<n).map { _ in valueRandom.bytes(valueSize) } : []

do {
    if args.workloads.contains("put_txn1") {
        let db = try fresh(args, "put_txn1")
        report("put_txn1", n, try put(db, order, values, batch: 1))
        try db.close()
    }
    if args.workloads.contains(where: { ["put_txn100", "get_random", "scan_range"].contains($0) }) {
        let db = try fresh(args, "main")
        let seconds = try put(db, order, values, batch: 100)
        if args.workloads.contains("put_txn100") { report("put_txn100", n, seconds) }
        if args.workloads.contains("get_random") {
            var r = Random(state: 3)
            let targets = (0..<n).map { _ in key(Int(r.next() % UInt64(n))) }
            let s = try time {
                for k in targets {
                    guard let rec = try db.get("kv", k), rec.value.count == valueSize else { usage("get_random: key missing") }
                }
            }
            report("get_random", n, s)
        }
        if args.workloads.contains("scan_range") {
            var visited = 0
            let s = try time {
                for _ in 0..<3 {
                    var previous: [UInt8] = []
                    try db.forEach("kv", range: KeyRange(lower: key(0), upper: key(n))) { r in
                        precondition(r.key.lexicographicallyPrecedes(previous) == false && r.value.count == valueSize)
                        previous = r.key
                        visited += 1
                        return true
                    }
                }
            }
            guard visited == 3 * n else { usage("scan_range visited \(visited), expected \(3 * n)") }
            report("scan_range", visited, s)
        }
        try db.close()
    }
    if args.workloads.contains("blob_put_10mib") || args.workloads.contains("blob_get_10mib") {
        let db = try fresh(args, "blobs")
        let store = BlobStore(database: db)
        var r = Random(state: 4)
        let blobs = (0..<args.blobs).map { _ in r.bytes(blobSize) }
        var cids: [CID] = []
        let s = try time { for b in blobs { cids.append(try store.put(b)) } }
        if args.workloads.contains("blob_put_10mib") { report("blob_put_10mib", args.blobs, s) }
        if args.workloads.contains("blob_get_10mib") {
            let g = try time {
                for c in cids { guard try store.get(c).count == blobSize else { usage("blob_get: wrong size") } }
            }
            report("blob_get_10mib", args.blobs, g)
        }
        try db.close()
    }
    if args.workloads.contains("put_txn1_4writers") {
        // VeectorDB only: the put_txn1 workload from four threads at once, to show group commit.
        let db = try fresh(args, "put_txn1_4writers")
        let shuffled = order
        // Real threads: concurrentPerform would run only as many iterations at once as there are cores.
        let done = DispatchSemaphore(value: 0)
        let s = time {
            for t in 0..<4 {
                Thread {
                    for i in stride(from: t, to: n, by: 4) {
                        var txn = Transaction()
                        txn.put("kv", key(shuffled[i]), values[shuffled[i]])
                        _ = try? db.commit(txn)
                    }
                    done.signal()
                }.start()
            }
            for _ in 0..<4 { done.wait() }
        }
        let stats = db.statistics()
        guard stats.transactionsCommitted == UInt64(n) else { usage("put_txn1_4writers: only \(stats.transactionsCommitted) commits") }
        FileHandle.standardOutput.write(Data("{\"engine\": \"veectordb\", \"workload\": \"put_txn1_4writers\", \"ops\": \(n), \"seconds\": \(s), \"batches\": \(stats.commitBatches)}\n".utf8))
        try db.close()
    }
    if args.workloads.contains("reopen") {
        // VeectorDB only: how long opening takes with `records` records behind a checkpoint and
        // 10,000 more in the log after it (written in transactions of 1,000).
        var options = DatabaseOptions()
        options.checkpointEntries = Int.max
        let path = args.dir + "/reopen"
        do {
            let db = try Database.open(path: path, options: options)
            var i = 0
            while i < n {
                var txn = Transaction()
                for j in i..<min(i + 1000, n) { txn.put("kv", key(j), Array(values[j].prefix(100))) }
                try db.commit(txn)
                i += 1000
            }
            try db.checkpoint()
            for j in 0..<10 {
                var txn = Transaction()
                for k in 0..<1000 { txn.put("kv", key(n + j * 1000 + k), [1, 2, 3]) }
                try db.commit(txn)
            }
        }
        var reopened: Database?
        let s = try time { reopened = try Database.open(path: path, options: options) }
        guard let db = reopened, try db.get("kv", key(n / 2)) != nil, db.recovery.replayedTransactions == 10 else { usage("reopen: records missing") }
        report("reopen", 1, s)
        try db.close()
    }
} catch {
    usage("\(error)")
}
