import Testing
import Foundation
@testable import VeectorRuntime

/// The Intel Xeon seen on our machines (family 6, model 207): AVX-512, which OpenBLAS 0.3.21 calls Prescott.
private let intelXeon = CPUFeatures(
    vendor: "GenuineIntel", brand: "Intel(R) Xeon(R) Processor", sse42: true, avx2: true, fma: true,
    f16c: true, avx512f: true, avx512bw: true, avx512vl: true, avx512vnni: true, avx512bf16: true, sha: true)

/// The AMD EPYC (Zen 3) seen on our machines: AVX2 + FMA, no AVX-512; OpenBLAS picks Zen.
private let amdZen3 = CPUFeatures(
    vendor: "AuthenticAMD", brand: "AMD EPYC 7B13", sse42: true, avx2: true, fma: true, f16c: true, sha: true)

/// An AVX2 CPU OpenBLAS does not know.
private let unknownAVX2 = CPUFeatures(vendor: "SomeVendor", sse42: true, avx2: true, fma: true, f16c: true)

/// An old CPU with SSE only.
private let sseOnly = CPUFeatures(vendor: "GenuineIntel", sse42: true)

@Suite("OpenBLAS core type recommendation")
struct RecommendationTests {
    @Test func intelAVX512OnPrescottGetsSkylakeX() {
        #expect(OpenBLASRuntime.recommendedCoreType(for: intelXeon, currentCore: "Prescott") == "SkylakeX")
        #expect(OpenBLASRuntime.recommendedCoreType(for: intelXeon, currentCore: "Haswell") == "SkylakeX")
    }

    @Test func intelAVX512AlreadyOnAVX512CoreNeedsNothing() {
        for core in ["SkylakeX", "skylakex", "Cooperlake", "SapphireRapids"] {
            #expect(OpenBLASRuntime.recommendedCoreType(for: intelXeon, currentCore: core) == nil)
        }
    }

    @Test func amdZenNeedsNothing() {
        #expect(OpenBLASRuntime.recommendedCoreType(for: amdZen3, currentCore: "Zen") == nil)
        #expect(OpenBLASRuntime.recommendedCoreType(for: amdZen3, currentCore: "Haswell") == nil)
    }

    @Test func unknownAVX2OnPrescottGetsHaswell() {
        #expect(OpenBLASRuntime.recommendedCoreType(for: unknownAVX2, currentCore: "Prescott") == "Haswell")
        #expect(OpenBLASRuntime.recommendedCoreType(for: amdZen3, currentCore: "Sandybridge") == "Haswell")
    }

    @Test func avx512WithoutBWOrVLIsTreatedAsAVX2() {
        var partial = intelXeon
        partial.avx512bw = false
        #expect(OpenBLASRuntime.recommendedCoreType(for: partial, currentCore: "Prescott") == "Haswell")
    }

    @Test func oldCPUNeedsNothing() {
        #expect(OpenBLASRuntime.recommendedCoreType(for: sseOnly, currentCore: "Nehalem") == nil)
        #expect(OpenBLASRuntime.recommendedCoreType(for: CPUFeatures(), currentCore: "Prescott") == nil)
    }
}

@Suite("OpenBLAS re-exec decision")
struct ReexecDecisionTests {
    @Test func reexecsWhenBetterCoreExists() {
        let decision = OpenBLASRuntime.reexecDecision(features: intelXeon, currentCore: "Prescott", environment: [:])
        #expect(decision == .reexec(coreType: "SkylakeX"))
    }

    @Test func userSettingIsRespected() {
        let decision = OpenBLASRuntime.reexecDecision(
            features: intelXeon, currentCore: "Prescott", environment: ["OPENBLAS_CORETYPE": "Haswell"])
        #expect(decision == .keepUserSetting("Haswell"))
    }

    @Test func emptyUserSettingCountsAsUnset() {
        let decision = OpenBLASRuntime.reexecDecision(
            features: intelXeon, currentCore: "Prescott", environment: ["OPENBLAS_CORETYPE": ""])
        #expect(decision == .reexec(coreType: "SkylakeX"))
    }

    @Test func neverReexecsTwice() {
        // Even if OpenBLAS ignored the variable (e.g. a build without DYNAMIC_ARCH), the marker stops a loop.
        let environment = ["OPENBLAS_CORETYPE": "SkylakeX", "VEECTOR_OPENBLAS_REEXEC": "1"]
        let decision = OpenBLASRuntime.reexecDecision(
            features: intelXeon, currentCore: "Prescott", environment: environment)
        #expect(decision == .alreadyReexecuted)
        let markerOnly = OpenBLASRuntime.reexecDecision(
            features: intelXeon, currentCore: "Prescott", environment: ["VEECTOR_OPENBLAS_REEXEC": "1"])
        #expect(markerOnly == .alreadyReexecuted)
    }

    @Test func zenNeedsNoReexec() {
        let decision = OpenBLASRuntime.reexecDecision(features: amdZen3, currentCore: "Zen", environment: [:])
        #expect(decision == .nothingToChange)
    }

    @Test func ensureCorrectCoreTypeReturnsWhenUserSetIt() {
        // With the variable set by the user this must return without exec-ing (the test process survives).
        OpenBLASRuntime.ensureCorrectCoreType(
            arguments: ["/nonexistent"], environment: ["OPENBLAS_CORETYPE": OpenBLASRuntime.coreName])
        OpenBLASRuntime.ensureCorrectCoreType(
            arguments: ["/nonexistent"], environment: ["VEECTOR_OPENBLAS_REEXEC": "1"])
    }
}

@Suite("Runtime report")
struct RuntimeReportTests {
    @Test func coreTypeSourceFromEnvironment() {
        #expect(RuntimeReport.coreTypeSource(environment: [:]) == CoreTypeSource.none)
        #expect(RuntimeReport.coreTypeSource(environment: ["OPENBLAS_CORETYPE": "Haswell"]) == .user)
        #expect(RuntimeReport.coreTypeSource(
            environment: ["OPENBLAS_CORETYPE": "SkylakeX", "VEECTOR_OPENBLAS_REEXEC": "1"]) == .veector)
    }

    @Test func currentReportIsCodableAndDescribesThisProcess() throws {
        let report = RuntimeReport.current(environment: [:])
        #expect(report.openblasCore == OpenBLASRuntime.coreName)
        #expect(report.openblasThreads >= 1)
        #expect(report.cpu == CPUFeatures.current.summary)
        let data = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(RuntimeReport.self, from: data)
        #expect(decoded == report)
        #expect(report.lines.count >= 2)
        #expect(report.lines[1].contains(report.openblasCore))
    }
}
