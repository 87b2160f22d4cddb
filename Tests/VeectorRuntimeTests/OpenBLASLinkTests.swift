import COpenBLAS
import Testing
@testable import VeectorRuntime

@Suite("OpenBLAS link")
struct OpenBLASLinkTests {
    @Test func sgemm64MatchesNaiveProduct() {
        let n = 64
        var state: UInt32 = 12345
        func next() -> Float {  // small deterministic LCG, values in [-1, 1)
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 23) - 1
        }
        let a = (0..<(n * n)).map { _ in next() }
        let b = (0..<(n * n)).map { _ in next() }
        var c = [Float](repeating: 0, count: n * n)
        let n32 = Int32(n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1, a, n32, b, n32, 0, &c, n32)
        var maxError: Float = 0
        for i in 0..<n {
            for j in 0..<n {
                var sum: Float = 0
                for k in 0..<n { sum += a[i * n + k] * b[k * n + j] }
                maxError = max(maxError, abs(sum - c[i * n + j]))
            }
        }
        #expect(maxError < 1e-3)
    }

    @Test func coreNameAndThreadsAreReported() {
        #expect(!OpenBLASRuntime.coreName.isEmpty)
        #expect(OpenBLASRuntime.coreName != "unknown")
        #expect(OpenBLASRuntime.threads >= 1)
        #expect(OpenBLASRuntime.configuration.contains("OpenBLAS"))
    }

    @Test func threadCountCanBeSet() {
        let before = OpenBLASRuntime.threads
        OpenBLASRuntime.threads = 1
        #expect(OpenBLASRuntime.threads == 1)
        OpenBLASRuntime.threads = before
        #expect(OpenBLASRuntime.threads == before)
    }
}
