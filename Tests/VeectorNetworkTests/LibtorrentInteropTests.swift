#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VeectorTestSupport

/// Why the libtorrent interop cannot run here, or nil: Debian's python3-libtorrent and python3-nacl
/// under /usr/bin/python3.
func libtorrentUnavailableReason() -> String? {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return "/usr/bin/python3 is missing" }
    guard let r = try? run("/usr/bin/python3", ["-c", "import libtorrent, nacl.signing"], timeout: 30), r.status == 0 else {
        return "python3-libtorrent or python3-nacl is not installed (apt-get install python3-libtorrent python3-nacl)"
    }
    return nil
}

extension RealProcesses {
@Suite("Interop with libtorrent's DHT in a loopback-only namespace", .serialized, .timeLimit(.minutes(5)))
struct LibtorrentInteropTests {
    @Test("libtorrent and our node look up, announce, put and get through each other; a flood is rate-limited")
    func interop() throws {
        guard let veenode = builtProduct("veenode") else {
            Issue.record("the veenode binary is not built (swift build --build-tests builds it)")
            return
        }
        if let why = namespaceUnavailableReason() ?? libtorrentUnavailableReason() {
            print("skipped: \(why)")
            return
        }
        let ns = "vlt\(getpid() % 100_000)"
        _ = try run("/usr/sbin/ip", ["netns", "add", ns], timeout: 10)
        defer { _ = try? run("/usr/sbin/ip", ["netns", "del", ns], timeout: 10) }
        _ = try run("/usr/sbin/ip", ["-n", ns, "link", "set", "lo", "up"], timeout: 10)

        let dir = TemporaryDirectory(prefix: "vlt")
        let initResult = try run(veenode, ["init", "--home", dir.file("node")], environment: ["VEENODE_PASSPHRASE": "interop"], timeout: 60)
        #expect(initResult.status == 0)
        let script = repositoryRoot + "/Tests/VeectorNetworkTests/Interop/libtorrent_interop.py"
        let result = try run("/usr/sbin/ip", ["netns", "exec", ns, "/usr/bin/python3", script, veenode, dir.path], timeout: 240)
        #expect(result.status == 0, "\(result.stderr)")
        guard let data = result.stdout.data(using: .utf8),
              let checks = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            Issue.record("the interop script printed no JSON: \(result.stdout) \(result.stderr)")
            return
        }
        let expected = [
            "libtorrent routes through us", "our find_node through libtorrent", "our announce → libtorrent get_peers",
            "our get_peers through libtorrent", "libtorrent immutable put → our get", "our immutable put → libtorrent get",
            "libtorrent mutable put → our get", "our mutable put → libtorrent get", "stale seq refused (302)",
            "flood from one address is rate-limited; other lookups succeed", "_exit",
        ]
        #expect(Set(checks.keys) == Set(expected))
        for name in expected {
            let check = checks[name]
            #expect(check?["ok"] as? Bool == true, "\(name): \(check ?? [:])")
        }
    }
}
}
