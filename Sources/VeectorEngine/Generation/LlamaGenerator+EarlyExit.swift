import Foundation

extension LlamaGenerator {
    /// Lossy early exit: each token first runs `exitLayer` layers and the head; when that shallow
    /// distribution's top-1 probability reaches `threshold`, the token is picked from it and the deeper
    /// layers only compute its keys and values (from the shallow state, so later tokens can attend to
    /// it); otherwise the deeper layers run and the full head decides. Output may differ from the full
    /// model's; `layersPerToken` in the provenance shows which tokens left early.
    func earlyExit(_ prompt: [Int], _ settings: EarlyExitOptions, run: inout DecodingRun,
                   onToken: (Int) -> Void) throws(LlamaError) {
        let e = settings.exitLayer, layers = model.configuration.layerCount
        var sampler: Sampler
        do { sampler = try Sampler(parameters: run.options.sampling) } catch { throw .sampling(error) }
        sampler.record(prompt)
        var logits = try run.prompt(prompt)
        var depth = layers
        while true {
            let token: Int
            do { token = try sampler.next(logits: logits) } catch { throw .sampling(error) }
            if run.accept(token, layers: depth) { onToken(token) }
            guard run.canContinue() else { return }
            let position = run.cache.count
            var x = try model.embed([token])
            try model.runLayers(&x, count: 1, position: position, layers: 0..<e, cache: &run.cache,
                                product: &run.product)
            let shallow = try model.logits(x, columns: 0..<1, product: &run.product)[0]
            let top = LlamaMath.logSoftmax(shallow).max() ?? -.infinity
            if Foundation.exp(top) >= settings.threshold {
                try model.propagateKeyValues(x, count: 1, position: position, layers: e..<layers,
                                             cache: &run.cache, product: &run.product)
                logits = shallow
                depth = e
            } else {
                try model.runLayers(&x, count: 1, position: position, layers: e..<layers, cache: &run.cache,
                                    product: &run.product)
                logits = try model.logits(x, columns: 0..<1, product: &run.product)[0]
                depth = layers
            }
        }
    }
}
