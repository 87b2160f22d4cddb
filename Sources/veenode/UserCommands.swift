import ArgumentParser
import Foundation
import VeectorNode

/// `veenode user …`: the people who keep documents on this node, each with their own keys.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add users, list them, change a passphrase.", subcommands: [Add.self, List.self, Passwd.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with their own passphrase and keys.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The new user's name (1–32 of a-z, 0-9, _ and -).") var name: String

        func run() async throws {
            let log = global.bootstrapLogging()
            let home = try global.openHome(log)
            defer { try? home.close() }
            try home.addUser(name, passphrase: try global.passphrase(prompt: "New passphrase for \(name): ", confirm: true))
            print("added user '\(name)'")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users on this node.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let log = global.bootstrapLogging()
            let home = try global.openHome(log)
            defer { try? home.close() }
            let users = try home.users()
            if global.json { Output.json(users) } else { users.forEach { print($0 == home.configuration.defaultUser ? "\($0) (default)" : $0) } }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's passphrase (documents stay as they are; only the key file changes).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Read the new passphrase from this file (else $VEENODE_NEW_PASSPHRASE, else a prompt).") var newPassphraseFile: String?

        func run() async throws {
            let log = global.bootstrapLogging()
            let home = try global.openHome(log)
            defer { try? home.close() }
            let old = try global.passphrase(prompt: "Current passphrase: ")
            let new = try Passphrase.read(file: newPassphraseFile.map(global.absolute), environmentVariable: "VEENODE_NEW_PASSPHRASE",
                                          prompt: "New passphrase: ", confirm: true)
            try home.changePassphrase(user: global.user, old: old, new: new)
            print("passphrase changed for '\(global.user ?? home.configuration.defaultUser)'")
        }
    }
}
