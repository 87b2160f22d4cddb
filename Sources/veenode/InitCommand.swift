import ArgumentParser
import VeectorNode

/// `veenode init`: creates a node home and its first user.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a node (a home folder) and its first user.",
        discussion: "--user names the first user (default: me); it becomes the node's default user.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        _ = global.bootstrapLogging()
        let name = global.user ?? "me"
        let pass = try global.passphrase(prompt: "New passphrase for \(name): ", confirm: true)
        let (home, _) = try NodeHome.initialize(at: global.homePath, user: name, passphrase: pass)
        defer { try? home.close() }
        if global.json {
            Output.json(["home": home.path, "user": name, "nodeID": home.configuration.nodeID])
        } else {
            print("Created a node in \(home.path) with user '\(name)'.")
            print("Your passphrase protects that user's documents: it cannot be recovered if lost.")
        }
    }
}

/// `veenode status`: what this node is and holds.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the node's identity, storage, users and CPU/OpenBLAS setup.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        if try RunningStatus.printIfRunning(global) { return }
        let log = global.bootstrapLogging()
        let home = try global.openHome(log)
        defer { try? home.close() }
        let s = try NodeStatus(home: home)
        if global.json { Output.json(s); return }
        print("home:        \(s.home)")
        print("node:        \(s.nodeID)")
        print("users:       \(s.users.joined(separator: ", ")) (default: \(s.defaultUser))")
        print("database:    \(s.database.segments) segment(s), \(Output.bytes(s.database.segmentBytes)) on disk, last transaction \(s.database.lastTxnID)")
        print("index:       \(s.database.checkpointEntries) checkpointed + \(s.database.memtableEntries) recent record versions")
        if s.recovery.truncatedBytes > 0 || !s.recovery.damage.isEmpty {
            print("recovery:    cut \(s.recovery.truncatedBytes) torn bytes; \(s.recovery.damage.count) damaged range(s) — run `veenode db check`")
        }
        for line in s.runtime.lines { print("runtime:     \(line)") }
    }
}
