import Foundation

/// Who chose OpenBLAS's core type for this process.
public enum CoreTypeSource: String, Codable, Sendable {
    /// Veector set `OPENBLAS_CORETYPE` and re-executed itself (``OpenBLASRuntime/ensureCorrectCoreType(arguments:environment:)``).
    case veector
    /// The user set `OPENBLAS_CORETYPE` before starting the process.
    case user
    /// Nobody: OpenBLAS detected the CPU itself.
    case none
}

/// The process-level runtime facts that `veenode status` prints: the CPU, the OpenBLAS kernels in use,
/// who chose them, and the OpenBLAS thread count.
public struct RuntimeReport: Codable, Sendable, Equatable {
    /// One line describing the CPU and its vector features (``CPUFeatures/summary``).
    public var cpu: String
    /// The full CPU feature set.
    public var cpuFeatures: CPUFeatures
    /// The kernels OpenBLAS uses (`openblas_get_corename()`), e.g. `"Zen"` or `"SkylakeX"`.
    public var openblasCore: String
    /// Who set `OPENBLAS_CORETYPE` for this process.
    public var coreTypeSource: CoreTypeSource
    /// The value of `OPENBLAS_CORETYPE`, if it is set.
    public var coreTypeSetting: String?
    /// A better core type for this CPU if OpenBLAS still runs worse kernels than it could (`nil` when fine).
    public var recommendedCoreType: String?
    /// The number of threads OpenBLAS uses for one call.
    public var openblasThreads: Int

    /// Creates a report from explicit values (tests, or a report received from another node).
    public init(
        cpu: String, cpuFeatures: CPUFeatures, openblasCore: String, coreTypeSource: CoreTypeSource,
        coreTypeSetting: String?, recommendedCoreType: String?, openblasThreads: Int
    ) {
        self.cpu = cpu
        self.cpuFeatures = cpuFeatures
        self.openblasCore = openblasCore
        self.coreTypeSource = coreTypeSource
        self.coreTypeSetting = coreTypeSetting
        self.recommendedCoreType = recommendedCoreType
        self.openblasThreads = openblasThreads
    }

    /// Tells who set `OPENBLAS_CORETYPE` from an environment: Veector if its re-exec marker is present,
    /// the user if only the variable is set, nobody otherwise.
    public static func coreTypeSource(environment: [String: String]) -> CoreTypeSource {
        guard let value = environment[OpenBLASRuntime.coreTypeVariable], !value.isEmpty else { return .none }
        return environment[OpenBLASRuntime.reexecMarkerVariable] == "1" ? .veector : .user
    }

    /// The report for this process right now.
    public static func current(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> RuntimeReport {
        let features = CPUFeatures.current
        let core = OpenBLASRuntime.coreName
        let setting = environment[OpenBLASRuntime.coreTypeVariable].flatMap { $0.isEmpty ? nil : $0 }
        return RuntimeReport(
            cpu: features.summary,
            cpuFeatures: features,
            openblasCore: core,
            coreTypeSource: coreTypeSource(environment: environment),
            coreTypeSetting: setting,
            recommendedCoreType: OpenBLASRuntime.recommendedCoreType(for: features, currentCore: core),
            openblasThreads: OpenBLASRuntime.threads)
    }

    /// Human-readable lines for `veenode status`, e.g.
    /// `["CPU: AMD EPYC 7B13: AVX2 FMA F16C (no AVX-512)", "OpenBLAS: Zen kernels (detected by OpenBLAS), 2 threads"]`.
    public var lines: [String] {
        let who: String
        switch coreTypeSource {
        case .veector: who = "set by veector: OPENBLAS_CORETYPE=\(coreTypeSetting ?? "")"
        case .user: who = "set by user: OPENBLAS_CORETYPE=\(coreTypeSetting ?? "")"
        case .none: who = "detected by OpenBLAS"
        }
        var result = [
            "CPU: \(cpu)",
            "OpenBLAS: \(openblasCore) kernels (\(who)), \(openblasThreads) thread\(openblasThreads == 1 ? "" : "s")",
        ]
        if let better = recommendedCoreType {
            result.append("OpenBLAS warning: this CPU could use \(better) kernels; start with OPENBLAS_CORETYPE=\(better)")
        }
        return result
    }
}
