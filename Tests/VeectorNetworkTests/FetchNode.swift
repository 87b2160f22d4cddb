#if canImport(Glibc)
import Glibc
#endif
import Foundation
import VeectorNet
import VeectorNode
import VeectorTestSupport

/// A `veenode` home for the fetch tests: initialised first, so a model can be imported before the node
/// starts (the running node holds the home's lock), then started and stopped like `NodeProcess`.
final class FetchNode: @unchecked Sendable {
    let veenode: String
    let home: String
    var process: Process?
    var errors: CollectedOutput?
    var controlSocket: String { home + "/control.sock" }

    init(veenode: String, home: String) throws {
        self.veenode = veenode
        self.home = home
        let r = try run(veenode, ["init", "--home", home], environment: ["VEENODE_PASSPHRASE": "fetch test passphrase"], timeout: 60)
        guard r.status == 0 else { throw NamespaceError(message: "veenode init failed: \(r.stderr)") }
    }

    /// Runs a one-shot `veenode` command on this home.
    func command(_ arguments: [String], timeout: Double = 600) throws -> ProcessResult {
        try run(veenode, arguments + ["--home", home], timeout: timeout)
    }

    /// Starts `veenode start` with `arguments` and waits for its control socket.
    func start(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: veenode)
        p.arguments = ["start", "--home", home, "--no-upnp", "--dht-rate-limit", "100000,100000"] + arguments
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        process = p
        errors = CollectedOutput(err.fileHandleForReading)
        for _ in 0..<600 {
            if ControlClient.isRunning(socket: controlSocket) { return }
            if !p.isRunning { break }
            usleep(50_000)
        }
        kill(p.processIdentifier, SIGKILL)
        throw NamespaceError(message: "veenode start did not open its control socket: \(errors?.finish() ?? "")")
    }

    /// A control request answered by the running node.
    func call<R: Decodable>(_ method: String, _ params: [String: String] = [:], as: R.Type = R.self, timeout: Int = 600) throws -> R {
        try ControlClient.call(ControlRequest(method: method, params: params), socket: controlSocket, as: R.self, timeout: timeout)
    }

    /// The node's public key (hex).
    func publicKey() throws -> String { try call("status", as: RunningNodeStatus.self).publicKey }

    /// Sends `signal` and waits for the process to end.
    func stop(signal: Int32 = SIGTERM) {
        guard let p = process else { return }
        if p.isRunning { kill(p.processIdentifier, signal) }
        p.waitUntilExit()
        process = nil
    }

    deinit { stop(signal: SIGKILL) }
}
