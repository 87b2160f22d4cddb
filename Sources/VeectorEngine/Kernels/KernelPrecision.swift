import CVeectorKernels

/// How a matrix product on quantised weights is computed: a choice between reference quality and speed.
public enum KernelPrecision: Sendable, Equatable {
    /// f32 activations times weights dequantised on the fly, accumulated in f32: the same result (to
    /// rounding) as dequantising the model to F32 first.
    case exact
    /// Activations quantised to 8 bits per 32 values, integer dot products per block (what llama.cpp does
    /// for Q4/Q8 weights). F32, F16 and BF16 weights are always computed exactly.
    case fast

    /// The C kernels' name for this precision.
    var c: vk_precision { self == .exact ? VK_EXACT : VK_FAST }
}
