import CVeectorKernels

/// How a matrix product on quantised weights is computed: the trade between reference quality and
/// speed that a caller chooses per model.
public enum ComputePrecision: String, Sendable, Equatable, CaseIterable {
    /// f32 activations times weights dequantised on the fly (`VK_EXACT`): the same arithmetic as
    /// running the model dequantised to F32.
    case exact
    /// Activations quantised to 8 bits per 32 values and integer dot products (`VK_FAST`), as llama.cpp
    /// does for Q4/Q8 weights.
    case fast

    /// The kernel constant.
    var kernel: vk_precision { self == .exact ? VK_EXACT : VK_FAST }
}
