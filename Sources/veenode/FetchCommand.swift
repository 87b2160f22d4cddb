import ArgumentParser
import Foundation
import VeectorNet
import VeectorNode

/// `veenode fetch CID`: fetch content by its ID from the peers that provide it, through the running node.
struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch content by its CID from whichever peers provide it (needs `veenode start` running).",
        discussion: """
        The running node finds providers through the DHT, pulls chunks from several of them at once over \
        encrypted sessions, verifies every chunk and the whole against the CID, stores it, and announces \
        itself as a provider. Progress (bytes, peers) is printed until it ends; an interrupted fetch resumes \
        from the chunks already stored.
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The content ID (a sha2-256 CIDv1, e.g. bafkrei…).") var cid: String
    @Option(help: "How to store it: aligned (memory-mappable, for model blocks) or chunked (compressed, deduplicated).")
    var layout = "aligned"
    @Option(help: "Give up waiting after this many seconds (the node goes on fetching).") var timeout = 3600

    func validate() throws {
        guard ["aligned", "chunked"].contains(layout) else { throw ValidationError("--layout must be aligned or chunked") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let socket = global.controlSocketPath
        guard ControlClient.isRunning(socket: socket) else {
            throw ValidationError("no node is running at \(global.homePath): start it with `veenode start` (fetching needs its peers)")
        }
        var status = try ControlClient.call(ControlRequest(method: "transfer.fetch", params: ["cid": cid, "layout": layout]),
                                            socket: socket, as: FetchStatus.self)
        let deadline = Date().addingTimeInterval(Double(timeout))
        while status.state == .running, Date() < deadline {
            if !global.json { printProgress(status, final: false) }
            usleep(200_000)
            status = try ControlClient.call(ControlRequest(method: "transfer.status", params: ["cid": cid]), socket: socket, as: FetchStatus.self)
        }
        if global.json {
            Output.json(status)
        } else {
            printProgress(status, final: true)
            print(status.state == .done ? "fetched \(status.content): \(status.totalBytes) bytes, verified, stored and announced"
                : status.state == .running ? "still fetching \(status.content) after \(timeout) s; `veenode fetch` again to follow it"
                : "fetch of \(status.content) failed: \(status.error ?? "unknown reason")")
        }
        if status.state != .done { throw ExitCode.failure }
    }

    func printProgress(_ s: FetchStatus, final: Bool) {
        let total = s.totalBytes > 0 ? Output.bytes(s.totalBytes) : "?"
        let rate = s.seconds > 0 ? Double(s.bytesHeld) / s.seconds / 1e6 : 0
        let line = "\(Output.bytes(s.bytesHeld)) / \(total)  chunks \(s.chunksHeld)/\(s.chunkCount)  peers \(s.activePeers) active, "
            + "\(s.chunksFrom.count) delivered, \(s.providersFound) found  \(String(format: "%.1f", rate)) MB/s"
            + (s.bannedPeers.isEmpty ? "" : "  \(s.bannedPeers.count) dropped for bad data")
        FileHandle.standardError.write(Data(("\r" + line + (final ? "\n" : "")).utf8))
    }
}
