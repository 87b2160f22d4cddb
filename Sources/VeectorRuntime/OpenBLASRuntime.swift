import COpenBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The OpenBLAS library as this process uses it: which kernels it picked, how many threads it runs,
/// and the one-time fix-up that makes it pick the right kernels on CPUs it does not recognise.
///
/// OpenBLAS (built with `DYNAMIC_ARCH`, as Debian ships it) chooses its kernels — its "core type" — from
/// CPUID in a *library constructor*, which runs when the dynamic loader maps `libopenblas.so`, before
/// `main` starts. OpenBLAS 0.3.21 does not know recent Intel Xeons and falls back to `Prescott` (SSE3),
/// about 4.6× slower on sgemm than `SkylakeX`. The only supported override is the environment variable
/// `OPENBLAS_CORETYPE`, and it is read by that same constructor, so setting it from inside a running
/// process changes nothing: the process must be started again with the variable set. See
/// ``ensureCorrectCoreType(arguments:environment:)``.
public enum OpenBLASRuntime {
    /// The environment variable OpenBLAS reads at load time to force a core type.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"

    /// The environment variable Veector sets (to `"1"`) when it re-executes itself with a core type, so
    /// that the re-executed process never tries again and ``RuntimeReport`` can tell who set the core type.
    public static let reexecMarkerVariable = "VEECTOR_OPENBLAS_REEXEC"

    /// The core types whose kernels use AVX-512 (case-insensitive).
    public static let avx512CoreTypes: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]

    /// The core types that already use AVX2+FMA kernels or better and need no change on an AVX2 CPU.
    public static let avx2CoreTypes: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    /// The name of the kernel set OpenBLAS chose at load time (`openblas_get_corename()`), e.g. `"Zen"`.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string (`openblas_get_config()`), e.g. `"OpenBLAS 0.3.21 DYNAMIC_ARCH ..."`.
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }

    /// The number of threads OpenBLAS uses for one call; setting it calls `openblas_set_num_threads`
    /// (values below 1 are treated as 1).
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(clamping: max(1, newValue))) }
    }

    /// The core type OpenBLAS should use on a CPU with `features`, or `nil` when `currentCore` is already
    /// right (or nothing better exists).
    ///
    /// AVX-512 F+BW+VL → `"SkylakeX"` unless the current core is already an AVX-512 one; otherwise AVX2+FMA
    /// → `"Haswell"` unless the current core is already Haswell, Zen or an AVX-512 core. Pure: tests call
    /// it with made-up CPUs.
    public static func recommendedCoreType(for features: CPUFeatures, currentCore: String) -> String? {
        let current = currentCore.lowercased()
        if features.hasAVX512Core {
            return avx512CoreTypes.contains(current) ? nil : "SkylakeX"
        }
        if features.hasAVX2FMA {
            return avx2CoreTypes.contains(current) ? nil : "Haswell"
        }
        return nil
    }

    /// What ``ensureCorrectCoreType(arguments:environment:)`` will do, decided without side effects.
    public enum ReexecDecision: Equatable, Sendable {
        /// Start the process again with `OPENBLAS_CORETYPE` set to this core type.
        case reexec(coreType: String)
        /// The user set `OPENBLAS_CORETYPE` themselves; it is respected as is.
        case keepUserSetting(String)
        /// This process is already the re-executed one; never re-execute twice.
        case alreadyReexecuted
        /// OpenBLAS already uses the right kernels (or nothing better exists on this CPU).
        case nothingToChange
    }

    /// Decides whether the process must re-execute itself to fix OpenBLAS's core type.
    /// - Parameters:
    ///   - features: the CPU (``CPUFeatures/current`` in real use).
    ///   - currentCore: the core OpenBLAS chose (``coreName`` in real use).
    ///   - environment: the process environment.
    public static func reexecDecision(
        features: CPUFeatures, currentCore: String, environment: [String: String]
    ) -> ReexecDecision {
        if environment[reexecMarkerVariable] == "1" { return .alreadyReexecuted }
        if let userValue = environment[coreTypeVariable], !userValue.isEmpty {
            return .keepUserSetting(userValue)
        }
        guard let better = recommendedCoreType(for: features, currentCore: currentCore) else {
            return .nothingToChange
        }
        return .reexec(coreType: better)
    }

    /// Makes OpenBLAS use the right kernels for this CPU; call it as the **first line of `main`**, before
    /// anything is printed or any thread or file is opened.
    ///
    /// If the user has not set `OPENBLAS_CORETYPE` and OpenBLAS picked worse kernels than the CPU allows
    /// (see ``recommendedCoreType(for:currentCore:)``), this sets `OPENBLAS_CORETYPE` and
    /// `VEECTOR_OPENBLAS_REEXEC=1` and replaces the process with a fresh copy of the same binary
    /// (`execv("/proc/self/exe", arguments)`), so OpenBLAS's load-time constructor runs again and reads the
    /// variable. A re-exec is required because that constructor runs before `main`; setting the variable
    /// later has no effect. The marker makes it happen at most once. If `execv` fails, a warning goes to
    /// stderr, the environment is restored and the process carries on with the slower kernels.
    /// Does nothing on platforms other than Linux.
    public static func ensureCorrectCoreType(
        arguments: [String] = CommandLine.arguments,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        #if os(Linux)
        let decision = reexecDecision(features: .current, currentCore: coreName, environment: environment)
        guard case .reexec(let coreType) = decision else { return }
        setenv(coreTypeVariable, coreType, 1)
        setenv(reexecMarkerVariable, "1", 1)
        fflush(nil)  // nothing buffered may be lost by the exec
        let argv = arguments.isEmpty ? ["/proc/self/exe"] : arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        execv("/proc/self/exe", &cArguments)
        // Only reached when execv failed.
        let reason = String(cString: strerror(errno))
        for pointer in cArguments { free(pointer) }
        unsetenv(coreTypeVariable)
        unsetenv(reexecMarkerVariable)
        FileHandle.standardError.write(Data((
            "veector: warning: could not restart with \(coreTypeVariable)=\(coreType) (\(reason)); "
                + "OpenBLAS keeps its '\(coreName)' kernels and runs slower. "
                + "Set \(coreTypeVariable)=\(coreType) in the environment to fix this.\n").utf8))
        #endif
    }
}
