#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Talks to a running node's control socket from a command-line process: one blocking request, one reply.
public enum ControlClient {
    /// Sends `request` to the socket at `path` and decodes the reply's `result` as `R`; waits at most
    /// `timeout` seconds for the answer (lookups take a few seconds).
    public static func call<R: Decodable>(_ request: ControlRequest, socket path: String, as: R.Type = R.self,
                                          timeout: Int = 60) throws(NetError) -> R {
        let line = try exchange(request, socket: path, timeout: timeout)
        let envelope: ReplyDecoding<R>
        do {
            envelope = try JSONDecoder().decode(ReplyDecoding<R>.self, from: Data(line))
        } catch {
            throw .control(path: path, reason: "unreadable reply: \(error)")
        }
        if envelope.ok, let result = envelope.result { return result }
        let failure = envelope.error ?? ControlFailure(code: "failed", message: "the node gave no result")
        throw .refused(code: failure.code, message: failure.message)
    }

    /// True when a node answers on `path` (a socket file left by a killed node does not count).
    public static func isRunning(socket path: String) -> Bool {
        (try? connect(path, timeout: 2)).map { close($0); return true } ?? false
    }

    /// Sends one request and returns the reply line (without its newline).
    public static func exchange(_ request: ControlRequest, socket path: String, timeout: Int) throws(NetError) -> [UInt8] {
        guard let body = try? JSONEncoder().encode(request) else {
            throw .control(path: path, reason: "cannot encode the request")
        }
        return try exchange(line: Array(body), socket: path, timeout: timeout)
    }

    /// Sends one raw line (a newline is added) and returns the reply line (without its newline).
    public static func exchange(line: [UInt8], socket path: String, timeout: Int) throws(NetError) -> [UInt8] {
        let fd = try connect(path, timeout: timeout)
        defer { close(fd) }
        let body = line + [UInt8(ascii: "\n")]
        let sent = body.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard sent else { throw .control(path: path, reason: "write failed (errno \(errno))") }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                throw .control(path: path, reason: errno == EAGAIN ? "no reply within \(timeout) s" : "read failed (errno \(errno))")
            }
            if n == 0 { throw .control(path: path, reason: "the node closed the connection without replying") }
            if let nl = chunk[0..<n].firstIndex(of: UInt8(ascii: "\n")) {
                reply += chunk[0..<nl]
                return reply
            }
            reply += chunk[0..<n]
            if reply.count > 64 << 20 { throw .control(path: path, reason: "reply larger than 64 MiB") }
        }
    }

    private static func connect(_ path: String, timeout: Int) throws(NetError) -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            throw .control(path: path, reason: "path longer than \(MemoryLayout.size(ofValue: addr.sun_path) - 1) bytes; use a shorter --home")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw .control(path: path, reason: "socket() failed (errno \(errno))") }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw .control(path: path, reason: e == ENOENT || e == ECONNREFUSED ? "no node is running (nothing listens there)" : "connect failed (errno \(e))")
        }
        return fd
    }
}

/// The reply line's shape, for decoding.
private struct ReplyDecoding<R: Decodable>: Decodable {
    let ok: Bool
    let result: R?
    let error: ControlFailure?
}
