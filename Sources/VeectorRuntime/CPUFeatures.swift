import CVeectorSupport

/// The vector instruction sets of the processor this process runs on, read once with CPUID.
///
/// Kernels and the OpenBLAS core-type choice (``OpenBLASRuntime``) decide from these flags at run
/// time, because the package is built for baseline x86-64 and must run on any machine CI hands us.
/// A flag is only `true` when the CPU has the instructions *and* the operating system saves the
/// matching register state (XGETBV), so code may use it without risking SIGILL.
public struct CPUFeatures: Sendable, Codable, Equatable {
    /// The CPUID vendor string, e.g. `"GenuineIntel"` or `"AuthenticAMD"` (empty off x86-64).
    public var vendor: String
    /// The processor's brand string, e.g. `"AMD EPYC 7B13"` (empty when the CPU does not report one).
    public var brand: String
    /// SSE 4.2 (hardware CRC-32C).
    public var sse42: Bool
    /// 256-bit integer and float vectors (AVX2).
    public var avx2: Bool
    /// Fused multiply-add on 256-bit vectors (FMA3).
    public var fma: Bool
    /// Half-precision conversion instructions (F16C).
    public var f16c: Bool
    /// AVX-512 Foundation (512-bit vectors).
    public var avx512f: Bool
    /// AVX-512 byte and word instructions.
    public var avx512bw: Bool
    /// AVX-512 vector-length extensions (AVX-512 instructions on 128/256-bit registers).
    public var avx512vl: Bool
    /// AVX-512 Vector Neural Network Instructions (int8 dot products).
    public var avx512vnni: Bool
    /// AVX-512 bfloat16 instructions.
    public var avx512bf16: Bool
    /// SHA-1/SHA-256 extensions.
    public var sha: Bool

    /// Creates a feature set by hand (tests and decision functions use this to describe other CPUs).
    public init(
        vendor: String = "", brand: String = "",
        sse42: Bool = false, avx2: Bool = false, fma: Bool = false, f16c: Bool = false,
        avx512f: Bool = false, avx512bw: Bool = false, avx512vl: Bool = false,
        avx512vnni: Bool = false, avx512bf16: Bool = false, sha: Bool = false
    ) {
        self.vendor = vendor
        self.brand = brand
        self.sse42 = sse42
        self.avx2 = avx2
        self.fma = fma
        self.f16c = f16c
        self.avx512f = avx512f
        self.avx512bw = avx512bw
        self.avx512vl = avx512vl
        self.avx512vnni = avx512vnni
        self.avx512bf16 = avx512bf16
        self.sha = sha
    }

    /// Reads the features of the running CPU with CPUID (all `false` off x86-64).
    public static func read() -> CPUFeatures {
        var raw = veector_cpu_features()
        veector_cpu_features_read(&raw)
        let vendor = withUnsafeBytes(of: raw.vendor) { Self.cString(from: $0) }
        let brand = withUnsafeBytes(of: raw.brand) { Self.cString(from: $0) }
        return CPUFeatures(
            vendor: vendor,
            brand: brand.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "),
            sse42: raw.sse42 != 0, avx2: raw.avx2 != 0, fma: raw.fma != 0, f16c: raw.f16c != 0,
            avx512f: raw.avx512f != 0, avx512bw: raw.avx512bw != 0, avx512vl: raw.avx512vl != 0,
            avx512vnni: raw.avx512vnni != 0, avx512bf16: raw.avx512bf16 != 0, sha: raw.sha != 0)
    }

    /// The features of the CPU this process runs on, read once.
    public static let current: CPUFeatures = read()

    /// True when the CPU has the AVX-512 subset OpenBLAS's SkylakeX kernels need (F, BW and VL).
    public var hasAVX512Core: Bool { avx512f && avx512bw && avx512vl }

    /// True when the CPU has AVX2 and FMA (what OpenBLAS's Haswell kernels and our AVX2 kernels need).
    public var hasAVX2FMA: Bool { avx2 && fma }

    /// The names of the present vector features, in a fixed order (e.g. `["AVX2", "FMA", "F16C"]`).
    public var featureNames: [String] {
        var names: [String] = []
        if avx2 { names.append("AVX2") }
        if fma { names.append("FMA") }
        if f16c { names.append("F16C") }
        if avx512f { names.append("AVX-512F") }
        if avx512bw { names.append("AVX-512BW") }
        if avx512vl { names.append("AVX-512VL") }
        if avx512vnni { names.append("AVX-512VNNI") }
        if avx512bf16 { names.append("AVX-512BF16") }
        if sha { names.append("SHA") }
        if sse42 { names.append("SSE4.2") }
        return names
    }

    /// One line for humans and `veenode status`: the CPU name and its vector features (not SHA or
    /// SSE4.2), e.g. `"AMD EPYC 7B13: AVX2 FMA F16C (no AVX-512)"`.
    public var summary: String {
        let name = brand.isEmpty ? (vendor.isEmpty ? "unknown CPU" : vendor) : brand
        let features = featureNames.filter { $0 != "SHA" && $0 != "SSE4.2" }
        var line = name + ": " + (features.isEmpty ? "baseline only" : features.joined(separator: " "))
        if !avx512f { line += " (no AVX-512)" }
        return line
    }

    private static func cString(from bytes: UnsafeRawBufferPointer) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[..<end], as: UTF8.self).trimmingCharacters(in: " ")
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
