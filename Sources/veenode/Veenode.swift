import ArgumentParser
import VeectorRuntime

/// `veenode`: the Veector node — your encrypted documents today, the assistant and the network next.
@main
struct Veenode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "veenode",
        abstract: "A Veector node: encrypted personal documents in VeectorDB (the assistant and the peer network come next).",
        discussion: """
        The node lives in one folder (--home, or VEENODE_HOME, default ~/.veenode). \
        Commands that read or write documents need the user's passphrase: from a prompt, \
        VEENODE_PASSPHRASE, or --passphrase-file. Options go after the command: \
        `veenode docs list --home DIR`.
        """,
        version: "0.1.0",
        subcommands: [Init.self, Status.self, Gossip.self, Ask.self, Embed.self, Model.self, Docs.self, User.self, DB.self,
                      Start.self, Peers.self, DHT.self, Share.self, Fetch.self])

    /// OpenBLAS chooses its kernels in a library constructor, before `main` runs: when it guessed
    /// wrong for this CPU, set OPENBLAS_CORETYPE and re-execute once (see `OpenBLASRuntime`).
    static func main() async {
        OpenBLASRuntime.ensureCorrectCoreType()
        await main(nil)
    }
}
