import Foundation
import Testing
@testable import VeectorRuntime

/// The `flags` line of the first processor in /proc/cpuinfo, or nil off Linux.
private func procCPUInfoFlags() -> Set<String>? {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("flags") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
    return nil
}

@Suite("CPU features")
struct CPUFeaturesTests {
    @Test func readDoesNotCrashAndIsStable() {
        let first = CPUFeatures.read()
        let second = CPUFeatures.read()
        #expect(first == second)
        #expect(CPUFeatures.current == first)
        #if arch(x86_64)
        #expect(!first.vendor.isEmpty)
        #endif
    }

    @Test func agreesWithProcCPUInfo() throws {
        let flags = try #require(procCPUInfoFlags(), "needs /proc/cpuinfo (Linux)")
        let features = CPUFeatures.current
        #expect(features.avx2 == flags.contains("avx2"))
        #expect(features.avx512f == flags.contains("avx512f"))
        #expect(features.avx512bw == flags.contains("avx512bw"))
        #expect(features.fma == flags.contains("fma"))
        #expect(features.sse42 == flags.contains("sse4_2"))
    }

    @Test func summaryNamesCPUAndFeatures() {
        let zen = CPUFeatures(brand: "AMD EPYC 7B13", avx2: true, fma: true, f16c: true)
        #expect(zen.summary == "AMD EPYC 7B13: AVX2 FMA F16C (no AVX-512)")
        let xeon = CPUFeatures(brand: "Intel Xeon", avx2: true, fma: true, avx512f: true, avx512bw: true)
        #expect(xeon.summary == "Intel Xeon: AVX2 FMA AVX-512F AVX-512BW")
        #expect(CPUFeatures().summary == "unknown CPU: baseline only (no AVX-512)")
        #expect(!CPUFeatures.current.summary.isEmpty)
    }

    @Test func codableRoundTrip() throws {
        let data = try JSONEncoder().encode(CPUFeatures.current)
        #expect(try JSONDecoder().decode(CPUFeatures.self, from: data) == CPUFeatures.current)
    }
}
