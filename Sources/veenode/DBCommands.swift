import ArgumentParser
import VeectorNode

/// `veenode db …`: maintenance of the node's database.
struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Check or compact the node's database.", subcommands: [Check.self, Compact.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify every checksum; report damage by segment and offset (exit status 3 if any).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let log = global.bootstrapLogging()
            let home = try global.openHome(log)
            defer { try? home.close() }
            let report = home.check()
            if global.json { Output.json(report) } else {
                print("checked \(report.segmentsChecked) segment(s), \(report.recordsChecked) records, \(Output.bytes(report.bytesChecked))")
                if report.isHealthy { print("no damage found") } else {
                    Output.table(["SEGMENT", "OFFSET", "LENGTH", "PROBLEM"], report.problems.map { ["\($0.segment)", "\($0.offset)", "\($0.length)", $0.reason] })
                }
            }
            if !report.isHealthy { throw ExitCode(3) }
        }
    }

    struct Compact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reclaim space: drop purged documents and unreferenced chunks, rewrite live records.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let log = global.bootstrapLogging()
            let home = try global.openHome(log)
            defer { try? home.close() }
            let s = try home.compact()
            if global.json { Output.json(s); return }
            let c = s.compaction
            print("compacted: \(Output.bytes(c.bytesBefore)) → \(Output.bytes(c.bytesAfter)); kept \(c.versionsKept) record versions, dropped \(c.versionsDropped); removed \(s.orphanChunksRemoved) unreferenced chunk(s)")
        }
    }
}
