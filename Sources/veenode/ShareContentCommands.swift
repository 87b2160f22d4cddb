import ArgumentParser
import Foundation
import VeectorNet
import VeectorNode

extension Share {
    /// Calls the running node's transfer method `method`, or explains that one must run.
    static func callRunning(_ global: GlobalOptions, _ method: String, _ params: [String: String]) throws -> ModelSharing.ShareReport {
        let socket = global.controlSocketPath
        guard ControlClient.isRunning(socket: socket) else {
            throw ValidationError("no node is running at \(global.homePath): start it with `veenode start` (sharing announces through it)")
        }
        return try ControlClient.call(ControlRequest(method: method, params: params), socket: socket, as: ModelSharing.ShareReport.self,
                                      timeout: 600)
    }

    static func printReport(_ r: ModelSharing.ShareReport, json: Bool, what: String) {
        if json { Output.json(r); return }
        print("shared \(what) \(r.content): \(r.announced) provider record(s), \(Output.bytes(UInt64(r.bytes)))"
              + (r.gossipID.map { ", announced on gossip (\($0))" } ?? "")
              + (r.headStoredOn.map { ", head stored on \($0) DHT node(s)" } ?? ""))
    }

    /// `veenode share block CID`: announce this node as a provider of one stored blob.
    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "block", abstract: "Announce this node as a provider of a stored block or blob (DHT provider record).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The content ID of a blob this node holds (e.g. a model block from `veenode model blocks`).") var cid: String?
        @Option(help: "Store this file as a blob first (memory-mappable), then share it; its CID is printed.") var file: String?

        func validate() throws {
            guard (cid == nil) != (file == nil) else { throw ValidationError("give either a CID or --file PATH") }
        }

        func run() async throws {
            let report: ModelSharing.ShareReport
            if let file {
                report = try Share.callRunning(global, "transfer.shareFile", ["path": global.absolute(file)])
            } else {
                report = try Share.callRunning(global, "transfer.shareBlock", ["cid": cid!])
            }
            Share.printReport(report, json: global.json, what: "block")
        }
    }

    /// `veenode share model NAME`: provider records for a model's manifest and blobs, plus one gossip announcement.
    struct ModelShare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "model",
            abstract: "Share an installed model: provider records for its manifest and every block, and one announcement on the models topic.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The installed model's name (see `veenode model list`).") var name: String

        func run() async throws {
            Share.printReport(try Share.callRunning(global, "transfer.shareModel", ["name": name]), json: global.json, what: "model \(name)")
        }
    }
}
