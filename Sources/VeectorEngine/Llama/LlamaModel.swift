import CVeectorKernels

/// A llama-architecture language model (SmolLM2 and kin) whose forward pass reads its weights one block
/// at a time from a `WeightSource`, multiplying by the stored quantised tensors without expanding them.
///
/// `forward` runs tokens through every layer and returns logits; the layer-range entry points below it
/// are what early-exit drafting, speculative verification and beam search build on. One token at a time
/// uses the kernels (`vk_matmul`, precision as chosen) split across the model's `ComputePool`; a batch of 32 or more tokens (a prompt) uses
/// single-threaded OpenBLAS `sgemm` on each pool thread's dequantised band of weight rows, and attention by
/// blocks of 64 queries per head (`sgemm` for scores and for values).
public final class LlamaModel: Sendable {
    /// The model's shape.
    public let configuration: LlamaConfiguration
    /// Where the weights come from (a mapped GGUF, or a block cache under a memory budget).
    public let source: any WeightSource
    /// How products on quantised weights are computed for small batches.
    public let precision: ComputePrecision
    /// The context window a cache gets when none is given (the model's own length, at most this).
    public static let defaultContextWindow = 2048
    /// The threads a forward pass splits its products and attention across (prompt batches call OpenBLAS
    /// single-threaded on each of them), started once with the model.
    let pool: ComputePool
    /// Threads a forward pass runs on, the caller included (`--threads`).
    public var threadCount: Int { pool.threadCount }

    /// A model over `source` computing on `threads` threads (default: the physical cores this process may
    /// use); throws when the configuration does not hold together or the threads cannot be started.
    public init(configuration: LlamaConfiguration, source: any WeightSource,
                precision: ComputePrecision = .exact, threads: Int? = nil) throws(LlamaError) {
        try configuration.validate()
        self.configuration = configuration
        self.source = source
        self.precision = precision
        do { pool = try ComputePool(threads: threads) } catch {
            throw .computeThreads(requested: threads ?? ComputePool.physicalCores)
        }
    }

    /// The model in a mapped GGUF file (configuration from its metadata, weights in place).
    public convenience init(gguf: GGUFFile, precision: ComputePrecision = .exact,
                            threads: Int? = nil) throws(LlamaError) {
        try self.init(configuration: LlamaConfiguration(gguf: gguf), source: GGUFWeights(file: gguf),
                      precision: precision, threads: threads)
    }

    /// An empty KV cache for a sequence of at most `contextWindow` tokens (default: the model's context
    /// length, capped at `defaultContextWindow`).
    public func makeCache(contextWindow: Int? = nil) -> LlamaKVCache {
        let window = contextWindow ?? min(configuration.contextLength, Self.defaultContextWindow)
        return LlamaKVCache(layerCount: configuration.layerCount, width: configuration.keyValueWidth,
                            capacity: max(1, window))
    }

    /// Which positions of a forward pass get logits.
    public enum LogitsRequest: Sendable {
        /// None (filling the cache only).
        case none
        /// The last token's (what generation needs).
        case last
        /// Every token's (perplexity, verification).
        case all
    }

    /// Runs `tokens` at the positions after those already in `cache` through the whole model, appends
    /// their keys and values to the cache, and returns the requested logits (one vector of
    /// `vocabularySize` floats per requested position, in order).
    public func forward(_ tokens: [Int], cache: inout LlamaKVCache,
                        logits request: LogitsRequest = .last) throws(LlamaError) -> [[Float]] {
        guard !tokens.isEmpty else { throw .emptyPrompt }
        let position = cache.count
        guard position + tokens.count <= cache.capacity else { throw .contextFull(contextWindow: cache.capacity) }
        var product = MatrixProduct(precision: precision, pool: pool)
        var x = try embed(tokens)
        try runLayers(&x, count: tokens.count, position: position, layers: 0..<configuration.layerCount,
                      cache: &cache, product: &product)
        switch request {
        case .none: return []
        case .last: return try logits(x, columns: (tokens.count - 1)..<tokens.count, product: &product)
        case .all: return try logits(x, columns: 0..<tokens.count, product: &product)
        }
    }

    /// The embeddings of `tokens`, back to back (`embeddingLength` floats each): each row dequantised
    /// from the `.embedding` block, or from the `.embeddingShard` that holds it when the table is sharded.
    func embed(_ tokens: [Int]) throws(LlamaError) -> [Float] {
        let d = configuration.embeddingLength
        let shards = source.tokenTableShards
        source.prefetch(.layer(0))
        var x = [Float](repeating: 0, count: tokens.count * d)
        var current: (index: Int, block: WeightBlock, table: Tensor)?
        for (i, token) in tokens.enumerated() {
            guard token >= 0, token < configuration.vocabularySize else {
                throw .tokenOutOfRange(token: token, vocabularySize: configuration.vocabularySize)
            }
            let index = shards.isEmpty ? 0 : shards.firstIndex { $0.contains(token) } ?? -1
            guard index >= 0 else { throw .tokenOutOfRange(token: token, vocabularySize: shards.last?.upperBound ?? 0) }
            if current?.index != index {
                current = nil  // let the cache evict the previous shard
                let (block, table) = try tableTensor(shards.isEmpty ? .embedding : .embeddingShard(index),
                                                     rows: shards.isEmpty ? nil : shards[index].count)
                current = (index, block, table)
            }
            let table = current!.table
            let row = token - (shards.isEmpty ? 0 : shards[index].lowerBound)
            guard row < table.rowCount else {
                throw .tokenOutOfRange(token: token, vocabularySize: min(configuration.vocabularySize, table.rowCount))
            }
            let status = x.withUnsafeMutableBufferPointer { out in
                vk_dequantize_rows(vk_type(rawValue: table.type.rawValue), table.bytes.baseAddress, Int64(d),
                                   Int64(row), Int64(row + 1), out.baseAddress! + i * d)
            }
            guard status == 0 else { throw .kernelFailed(tensor: table.name, type: table.type, rowLength: d) }
        }
        return x
    }

    /// `token_embd.weight` of `role` (the whole table, or a shard of `rows` rows), checked, with its block:
    /// hold the block while reading the tensor (that is what keeps the cache from evicting it).
    private func tableTensor(_ role: BlockRole, rows: Int?) throws(LlamaError) -> (WeightBlock, Tensor) {
        let block: WeightBlock
        do { block = try source.block(role) } catch { throw .weights(error) }
        let count: Int
        if let rows { count = rows } else { count = try tableRows(block, "token_embd.weight") }
        return (block, try LlamaLayerWeights.matrix(block, "token_embd.weight", rowLength: configuration.embeddingLength, rows: count))
    }

    /// Logits for `columns` of the hidden states `x`: final RMSNorm, then the output projection — the
    /// head's `output.weight`, or for a tied head over a sharded table each shard's rows in turn (the
    /// next one prefetched), written into that shard's slice of the logits: the same numbers, while
    /// only a shard at a time need be in memory.
    func logits(_ x: [Float], columns: Range<Int>, product: inout MatrixProduct) throws(LlamaError) -> [[Float]] {
        let d = configuration.embeddingLength, vocabulary = configuration.vocabularySize
        let block: WeightBlock
        do { block = try source.block(.head) } catch { throw .weights(error) }
        let shards = source.tokenTableShards
        if block.tensors["output.weight"] == nil, !shards.isEmpty { source.prefetch(.embeddingShard(0)) }
        let norm = try LlamaLayerWeights.vector(block, "output_norm.weight", length: d)
        let n = columns.count
        var normed = [Float](repeating: 0, count: n * d)
        x.withUnsafeBufferPointer { x in
            normed.withUnsafeMutableBufferPointer { out in
                LlamaMath.rmsNorm(x.baseAddress! + columns.lowerBound * d,
                                  weight: norm.bytes.baseAddress!.assumingMemoryBound(to: Float.self),
                                  epsilon: configuration.rmsNormEpsilon, length: d, count: n, into: out.baseAddress!)
            }
        }
        if block.tensors["output.weight"] != nil || shards.isEmpty {
            let output = try LlamaLayerWeights.matrix(block, "output.weight", rowLength: d,
                                                      rows: try tableRows(block, "output.weight"))
            guard output.rowCount >= vocabulary else {
                throw .weights(.unexpectedTensor(block: .head, name: "output.weight",
                    reason: "\(output.rowCount) rows for a vocabulary of \(vocabulary)"))
            }
            let result = try project(output, normed, columns: n, product: &product)
            return (0..<n).map { c in Array(result[(c * output.rowCount)..<(c * output.rowCount + vocabulary)]) }
        }
        guard let covered = shards.last?.upperBound, covered >= vocabulary else {
            throw .weights(.unexpectedTensor(block: .embeddingShard(shards.count - 1), name: "token_embd.weight",
                reason: "the shards hold \(shards.last?.upperBound ?? 0) rows for a vocabulary of \(vocabulary)"))
        }
        var logits = [[Float]](repeating: [Float](repeating: 0, count: vocabulary), count: n)
        for (index, rows) in shards.enumerated() where rows.lowerBound < vocabulary {
            if index + 1 < shards.count { source.prefetch(.embeddingShard(index + 1)) }
            let (shard, table) = try tableTensor(.embeddingShard(index), rows: rows.count)
            let part = try project(table, normed, columns: n, product: &product)
            withExtendedLifetime(shard) {}  // held (not evictable) until its rows are multiplied
            let kept = min(rows.upperBound, vocabulary) - rows.lowerBound
            for c in 0..<n {
                logits[c].withUnsafeMutableBufferPointer { out in
                    part.withUnsafeBufferPointer { part in
                        (out.baseAddress! + rows.lowerBound).update(from: part.baseAddress! + c * rows.count, count: kept)
                    }
                }
            }
        }
        return logits
    }

    /// `matrix` × each of `columns` input vectors, one output vector of `matrix.rowCount` per column.
    private func project(_ matrix: Tensor, _ input: [Float], columns n: Int,
                         product: inout MatrixProduct) throws(LlamaError) -> [Float] {
        var result = [Float](repeating: 0, count: n * matrix.rowCount)
        try input.withUnsafeBufferPointer { (input) throws(LlamaError) in
            try result.withUnsafeMutableBufferPointer { (out) throws(LlamaError) in
                try product.multiply(matrix, input.baseAddress!, columns: n, into: out.baseAddress!)
            }
        }
        return result
    }

    /// Rows of a two-dimensional table tensor (embedding or output), whatever they are.
    private func tableRows(_ block: WeightBlock, _ name: String) throws(LlamaError) -> Int {
        do { return try block.tensor(name).rowCount } catch { throw .weights(error) }
    }
}
