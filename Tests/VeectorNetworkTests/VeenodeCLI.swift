import VeectorTestSupport

/// The `veenode` command line run as a child process with the test homes' passphrase: `cli([...])`
/// returns its standard output, or throws an error naming the command and its standard error.
struct VeenodeCLI {
    /// The built `veenode` binary.
    let veenode: String
    /// Seconds each command may take.
    let timeout: Double
    /// The environment every command gets (the passphrase of the homes these tests make).
    let environment = ["VEENODE_PASSPHRASE": NodeProcess.passphrase]

    /// Runs `veenode ARGS…`; its standard output when it exits 0.
    func callAsFunction(_ args: [String]) throws -> String {
        let r = try run(veenode, args, environment: environment, timeout: timeout)
        guard r.status == 0 else { throw NamespaceError(message: "veenode \(args.joined(separator: " ")) failed: \(r.stderr)") }
        return r.stdout
    }
}
