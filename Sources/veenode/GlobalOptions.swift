import ArgumentParser
import Foundation
import Logging
import VeectorNode

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The node's folder (default: $VEENODE_HOME or ~/.veenode).")
    var home: String?

    @Option(name: .long, help: "The user to act for (default: the node's first user).")
    var user: String?

    @Option(name: .long, help: "Read the passphrase from this file's first line (else $VEENODE_PASSPHRASE, else a prompt).")
    var passphraseFile: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of tables.")
    var json = false

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    /// The home folder to use.
    var homePath: String { home.map(absolute) ?? NodeHome.defaultPath() }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Sets up swift-log once, writing to stderr.
    func bootstrapLogging() -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        return Logger(label: "veenode")
    }

    /// The passphrase, from (in order) --passphrase-file, $VEENODE_PASSPHRASE, or a no-echo prompt.
    func passphrase(prompt: String = "Passphrase: ", confirm: Bool = false) throws -> [UInt8] {
        try Passphrase.read(file: passphraseFile.map(absolute), environmentVariable: "VEENODE_PASSPHRASE", prompt: prompt, confirm: confirm)
    }

    /// Opens the home (lock held until exit).
    func openHome(_ logger: Logger) throws -> NodeHome {
        let home = try NodeHome.open(at: homePath)
        let r = home.database.recovery
        if r.truncatedBytes > 0 {
            logger.warning("recovered from an interrupted write: cut \(r.truncatedBytes) unacknowledged bytes from the log's end (every acknowledged write is intact)")
        }
        for d in r.damage { logger.warning("damage found at open: segment \(d.segment) offset \(d.offset): \(d.reason)") }
        return home
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
