#if canImport(Glibc)
import Glibc
#endif
import Foundation
import VeectorNet
import VeectorNode
import VeectorTestSupport

/// One real `veenode start` process with its own home, for multi-process tests.
final class NodeProcess: @unchecked Sendable {
    let home: String
    let process: Process
    let output: CollectedOutput
    let errors: CollectedOutput
    var controlSocket: String { home + "/control.sock" }
    /// The passphrase of every home these tests make.
    static let passphrase = "swarm test passphrase"

    /// Creates a home (`veenode init`) at `home` and starts `veenode start` with `arguments`
    /// (optionally through a prefix such as `ip netns exec NS`). Waits until the control socket answers.
    /// With `initialized`, the home exists already (made by the test, with `NodeProcess.passphrase`).
    init(veenode: String, home: String, arguments: [String], prefix: [String] = [], environment: [String: String] = [:],
         initialized: Bool = false) throws {
        self.home = home
        if !initialized {
            let initResult = try run(veenode, ["init", "--home", home], environment: ["VEENODE_PASSPHRASE": Self.passphrase], timeout: 60)
            guard initResult.status == 0 else { throw NamespaceError(message: "veenode init failed: \(initResult.stderr)") }
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: prefix.first ?? veenode)
        p.arguments = Array(prefix.dropFirst()) + (prefix.isEmpty ? [] : [veenode]) + ["start", "--home", home] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        process = p
        output = CollectedOutput(out.fileHandleForReading)
        errors = CollectedOutput(err.fileHandleForReading)
        for _ in 0..<600 {
            if ControlClient.isRunning(socket: controlSocket) { return }
            if !p.isRunning { break }
            usleep(50_000)
        }
        p.terminate()
        throw NamespaceError(message: "veenode start did not open its control socket: \(errors.finish())")
    }

    /// The node's status over the control socket.
    func status() throws -> RunningNodeStatus {
        try ControlClient.call(ControlRequest(method: "status"), socket: controlSocket, as: RunningNodeStatus.self)
    }

    /// A control request answered by this node.
    func call<R: Decodable>(_ method: String, _ params: [String: String] = [:], as: R.Type = R.self) throws -> R {
        try ControlClient.call(ControlRequest(method: method, params: params), socket: controlSocket, as: R.self, timeout: 60)
    }

    /// Sends `signal` and waits for the process to end; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
}
