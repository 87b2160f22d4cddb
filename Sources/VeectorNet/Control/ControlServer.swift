import Foundation
import Logging
import NIOCore
import NIOPosix

/// The node's control socket: a Unix domain socket (mode 0600) that answers newline-delimited JSON
/// requests (`ControlRequest`) with one JSON line each — `{"ok":true,"result":…}` or
/// `{"ok":false,"error":{"code":…,"message":…}}` — so `veenode status|peers|dht …` can talk to a running node.
public final class ControlServer: Sendable {
    /// The longest request line accepted (longer ones close the connection).
    public static let maximumRequestBytes = 64 * 1024

    /// Where the socket is.
    public let path: String
    private let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    private init(path: String, server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) {
        self.path = path
        self.server = server
    }

    /// Creates the socket at `path` (replacing a stale socket file left by a killed node) with mode 0600.
    public static func bind(path: String, group: any EventLoopGroup) async throws(NetError) -> ControlServer {
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            server = try await ServerBootstrap(group: group)
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineFrameDecoder(maximumLength: maximumRequestBytes)))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .bindFailed(address: path, reason: "\(error)")
        }
        guard chmod(path, 0o600) == 0 else {
            try? await server.channel.close()
            throw .bindFailed(address: path, reason: "cannot set mode 0600 (errno \(errno))")
        }
        return ControlServer(path: path, server: server)
    }

    /// Serves connections until the calling task is cancelled, then closes the socket and removes its file.
    public func run(handler: some ControlHandler, logger: Logger) async {
        defer { unlink(path) }
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await Self.serve(connection, handler: handler, logger: logger) }
                    }
                }
            }
        } catch {
            if !(error is CancellationError) { logger.debug("control socket closed: \(error)") }
        }
    }

    /// Answers each request line on one connection, in order.
    private static func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, handler: some ControlHandler,
                              logger: Logger) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await line in inbound {
                    let reply = await answer(Array(line.readableBytesView), handler: handler)
                    try await outbound.write(ByteBuffer(bytes: reply + [UInt8(ascii: "\n")]))
                }
            }
        } catch {
            logger.debug("control connection ended: \(error)")
        }
    }

    /// One request line → one reply line (without the newline).
    static func answer(_ line: [UInt8], handler: some ControlHandler) async -> [UInt8] {
        let request: ControlRequest
        do {
            request = try JSONDecoder().decode(ControlRequest.self, from: Data(line))
        } catch {
            return encode(.failure(ControlFailure(code: "bad-request",
                message: "a request is one JSON object per line: {\"method\":\"status\",\"params\":{}} (\(error))")))
        }
        do throws(ControlFailure) {
            let result = try await handler.respond(to: request)
            return encode(.success(result))
        } catch {
            return encode(.failure(error))
        }
    }

    private static func encode(_ outcome: Result<any Encodable & Sendable, ControlFailure>) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        switch outcome {
        case let .success(value):
            if let data = try? encoder.encode(ReplyEnvelope(ok: true, result: AnyEncodable(value), error: nil)) { return Array(data) }
            return encode(.failure(ControlFailure(code: "failed", message: "the node could not encode its answer")))
        case let .failure(failure):
            return Array((try? encoder.encode(ReplyEnvelope(ok: false, result: nil, error: failure))) ?? Data())
        }
    }
}

/// The reply line's shape.
private struct ReplyEnvelope: Encodable {
    let ok: Bool
    let result: AnyEncodable?
    let error: ControlFailure?
}

/// Encodes whatever value it wraps.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
