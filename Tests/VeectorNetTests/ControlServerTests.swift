import Foundation
import Logging
import NIOPosix
import Testing
import VeectorNet
import VeectorTestSupport

/// A handler with real behaviour to serve: echoes its parameters, adds numbers, fails on request.
struct ArithmeticHandler: ControlHandler {
    struct Sum: Codable, Sendable, Equatable { var sum: Int; var echo: [String: String] }

    func respond(to request: ControlRequest) async throws(ControlFailure) -> any Encodable & Sendable {
        switch request.method {
        case "add":
            guard let a = request.params["a"].flatMap(Int.init) else { throw .badParam("a", "expected an integer") }
            guard let b = request.params["b"].flatMap(Int.init) else { throw .badParam("b", "expected an integer") }
            return Sum(sum: a + b, echo: request.params)
        default:
            throw .unknownMethod(request.method)
        }
    }
}

@Suite("Control socket", .timeLimit(.minutes(10)))
struct ControlServerTests {
    @Test("requests get JSON answers over a 0600 Unix socket, which is removed when serving stops")
    func roundTrip() async throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/control.sock"
        let server = try await ControlServer.bind(path: path, group: MultiThreadedEventLoopGroup.singleton)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect((info.st_mode & S_IFMT) == S_IFSOCK)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await server.run(handler: ArithmeticHandler(), logger: Logger(label: "test")) }
            let reply = try await blocking {
                try ControlClient.call(ControlRequest(method: "add", params: ["a": "40", "b": "2"]), socket: path,
                                       as: ArithmeticHandler.Sum.self)
            }
            #expect(reply == .init(sum: 42, echo: ["a": "40", "b": "2"]))

            // A failure comes back as a typed error carrying the handler's message.
            let failure = await blocking { () -> String in
                do {
                    _ = try ControlClient.call(ControlRequest(method: "add", params: ["a": "x"]), socket: path, as: ArithmeticHandler.Sum.self)
                    return "no error"
                } catch { return "\(error)" }
            }
            #expect(failure == "parameter 'a': expected an integer")

            // Raw lines: garbage gets a bad-request reply and the connection keeps answering.
            let garbage = try await blocking {
                try ControlClient.exchange(line: Array("not json".utf8), socket: path, timeout: 10)
            }
            #expect(String(decoding: garbage, as: UTF8.self).contains("\"code\":\"bad-request\""))
            let unknown = try await blocking {
                try ControlClient.exchange(ControlRequest(method: "frobnicate"), socket: path, timeout: 10)
            }
            #expect(String(decoding: unknown, as: UTF8.self) ==
                    #"{"error":{"code":"unknown-method","message":"unknown method 'frobnicate'"},"ok":false}"#)
            group.cancelAll()
        }
        #expect(access(path, F_OK) != 0, "the socket file is removed on shutdown")
        #expect(!ControlClient.isRunning(socket: path))
    }

    @Test("a client finds no node where no socket listens, with a clear error")
    func noNode() throws {
        let dir = TemporaryDirectory()
        #expect(throws: NetError.self) {
            try ControlClient.exchange(ControlRequest(method: "status"), socket: dir.path + "/control.sock", timeout: 1)
        }
        do {
            _ = try ControlClient.exchange(ControlRequest(method: "status"), socket: dir.path + "/control.sock", timeout: 1)
        } catch {
            #expect(error.description.contains("no node is running"))
        }
    }
}

/// Runs blocking client code on NIO's thread pool (the server runs on NIO's event loops).
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}

/// Runs non-throwing blocking client code on NIO's thread pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    // runIfActive fails only when the singleton pool is shut down, which never happens in tests.
    (try? await NIOThreadPool.singleton.runIfActive(body))!
}
