import Foundation

/// Finds an executable this package builds (`veenode`, `veectordb-stress`) next to the test bundle,
/// so tests can run real processes. `VEECTOR_BIN_DIR` overrides the search.
public func builtProduct(_ name: String) -> String? {
    var candidates: [String] = []
    if let dir = ProcessInfo.processInfo.environment["VEECTOR_BIN_DIR"] { candidates.append(dir) }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        candidates.append(dir.path)
        dir = dir.deletingLastPathComponent()
    }
    if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() { candidates.append(bundle.path) }
    for c in candidates {
        let path = c + "/" + name
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// The result of running a process to completion.
public struct ProcessResult: Sendable {
    /// Exit status (or the signal number for a killed process).
    public var status: Int32
    /// Whether it ended by a signal.
    public var killedBySignal: Bool
    /// Everything it wrote to stdout and stderr.
    public var stdout: String
    public var stderr: String
}

/// Runs `executable` with `arguments`, optional extra environment and stdin bytes; waits for it.
@discardableResult
public func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                stdin: [UInt8]? = nil, timeout: Double = 300) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
    try? input.fileHandleForWriting.close()
    let outData = CollectedOutput(out.fileHandleForReading)
    let errData = CollectedOutput(err.fileHandleForReading)
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(2_000) }
    if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, killedBySignal: p.terminationReason == .uncaughtSignal,
                         stdout: outData.finish(), stderr: errData.finish())
}

/// Reads a pipe on a background thread until it closes.
public final class CollectedOutput: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    /// Starts reading.
    public init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }
    /// Waits for the end of the stream and returns it as text.
    public func finish() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
