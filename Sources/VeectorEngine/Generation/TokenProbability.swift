/// One token the sampler may pick and its probability after filtering and temperature scaling.
public struct TokenProbability: Sendable, Equatable {
    /// The token ID (an index into the logits vector).
    public var token: Int
    /// The probability of drawing `token`; the probabilities of a distribution sum to 1.
    public var probability: Double

    /// A token and its probability.
    public init(token: Int, probability: Double) {
        self.token = token
        self.probability = probability
    }
}
