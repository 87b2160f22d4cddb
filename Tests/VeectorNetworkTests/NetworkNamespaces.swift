#if canImport(Glibc)
import Glibc
#endif
import Foundation
import VeectorTestSupport

/// The repository's root, found from this file's path (for `scripts/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Why a namespace test cannot run here, or nil when it can: root, iproute2 and the `ip netns` feature.
func namespaceUnavailableReason() -> String? {
    guard getuid() == 0 else { return "network namespaces need root" }
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/sbin/ip") else {
        return "iproute2 (`ip`) is not installed"
    }
    let probe = "veector-probe-\(getpid())"
    guard let r = try? run("/usr/sbin/ip", ["netns", "add", probe], timeout: 10), r.status == 0 else {
        return "`ip netns add` fails here (no CAP_SYS_ADMIN, or no namespace support)"
    }
    _ = try? run("/usr/sbin/ip", ["netns", "del", probe], timeout: 10)
    return nil
}

/// Runs `body` on a fresh thread that has entered the network namespace `name` (sockets it creates live
/// there; the rest of the process stays on the host's network). Returns what `body` returns.
func inNamespace<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        defer { done.signal() }
        let fd = open("/var/run/netns/\(name)", O_RDONLY)
        guard fd >= 0, enterNetworkNamespace(fd) == 0 else {
            box.result = .failure(NamespaceError(message: "cannot enter network namespace \(name) (errno \(errno))"))
            if fd >= 0 { close(fd) }
            return
        }
        close(fd)
        box.result = Result { try body() }
    }
    thread.start()
    done.wait()
    return try box.result!.get()
}

/// A result handed from one thread to another.
final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// `setns(fd, CLONE_NEWNET)` for the calling thread (Swift's Glibc module does not export `setns`).
private func enterNetworkNamespace(_ fd: Int32) -> Int32 {
    typealias SetNS = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(nil, "setns") else { return -1 }
    let cloneNewNet: Int32 = 0x4000_0000
    return unsafeBitCast(symbol, to: SetNS.self)(fd, cloneNewNet)
}

/// A namespace could not be entered or set up.
struct NamespaceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A UDP socket for tests: bound, with a receive timeout, able to send and receive one datagram.
final class TestUDPSocket {
    let fd: Int32

    init(bindPort: UInt16, receiveTimeoutMilliseconds: Int = 2000) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw NamespaceError(message: "socket() failed") }
        var tv = timeval(tv_sec: receiveTimeoutMilliseconds / 1000, tv_usec: (receiveTimeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = bindPort.bigEndian
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw NamespaceError(message: "bind port \(bindPort) failed (errno \(errno))") }
    }

    deinit { close(fd) }

    /// Sends `bytes` to `ip:port` (dotted quad).
    func send(_ bytes: [UInt8], to ip: String, port: UInt16) {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, ip, &addr.sin_addr)
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// One datagram, or nil when none arrives within the timeout.
    func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n < 0 ? nil : Array(buffer[0..<n])
    }
}
