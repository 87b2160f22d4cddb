import Foundation

extension LlamaModel {
    /// The model's perplexity on `tokens`: `exp` of the mean negative log-likelihood of each token after
    /// the first given those before it, from one batched pass. For checking a model (or a quantisation,
    /// or a kernel) against known figures: lower is better; a broken forward pass gives hundreds or more.
    public func perplexity(of tokens: [Int]) throws(LlamaError) -> Double {
        guard tokens.count >= 2 else {
            throw .invalidOption(name: "tokens", value: "\(tokens.count) tokens", expected: "at least 2")
        }
        var cache = makeCache(contextWindow: tokens.count)
        let logits = try forward(tokens, cache: &cache, logits: .all)
        var negativeLogLikelihood = 0.0
        for i in 0..<(tokens.count - 1) {
            negativeLogLikelihood -= LlamaMath.logSoftmax(logits[i])[tokens[i + 1]]
        }
        return Foundation.exp(negativeLogLikelihood / Double(tokens.count - 1))
    }
}
