import COpenBLAS

/// The matrix products of a BERT forward pass: `cblas_sgemm` when every dimension is at least
/// `blasMinimumDimension` (where OpenBLAS's packing pays off), a plain SIMD loop otherwise.
///
/// All matrices are row-major `Float`s with explicit leading dimensions, so a head's columns inside a
/// packed `[tokens, hidden]` matrix can be used without copying.
enum BertMatrixProduct {
    /// Below this size in any dimension the plain loop is used instead of `cblas_sgemm`.
    static let blasMinimumDimension = 32

    /// `C[m×n] = alpha · A[m×k] · Bᵀ (+ bias)` where B is stored as n rows of k (`B[j][p]` at
    /// `b[j*ldb + p]`): the shape of `x · Wᵀ + b` for a PyTorch `[out, in]` weight and of `Q · Kᵀ`.
    /// A bias (length n) is written into C first and accumulated onto with β = 1, which saves a pass.
    static func multiplyTransposed(m: Int, n: Int, k: Int, alpha: Float,
                                   a: UnsafePointer<Float>, lda: Int,
                                   b: UnsafePointer<Float>, ldb: Int,
                                   c: UnsafeMutablePointer<Float>, ldc: Int,
                                   bias: UnsafePointer<Float>? = nil) {
        if m >= blasMinimumDimension, n >= blasMinimumDimension, k >= blasMinimumDimension {
            if let bias {
                for i in 0..<m { (c + i * ldc).update(from: bias, count: n) }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), alpha,
                        a, Int32(lda), b, Int32(ldb), bias == nil ? 0 : 1, c, Int32(ldc))
            return
        }
        for i in 0..<m {
            let row = a + i * lda
            for j in 0..<n { c[i * ldc + j] = alpha * dot(row, b + j * ldb, k) + (bias?[j] ?? 0) }
        }
    }

    /// `C[m×n] = A[m×k] · B[k×n]` with B stored row-major (`B[p][j]` at `b[p*ldb + j]`): the shape of
    /// `softmax(QKᵀ) · V`.
    static func multiply(m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int,
                         b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m >= blasMinimumDimension, n >= blasMinimumDimension, k >= blasMinimumDimension {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                        a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
            return
        }
        for i in 0..<m {
            let out = c + i * ldc
            out.update(repeating: 0, count: n)
            for p in 0..<k { axpy(a[i * lda + p], b + p * ldb, out, n) }
        }
    }

    /// `Σ x[i]·y[i]` over `n` values, eight lanes at a time.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        let xr = UnsafeRawPointer(x), yr = UnsafeRawPointer(y)
        while i + 8 <= n {
            let xv = xr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let yv = yr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            acc += xv * yv
            i += 8
        }
        var sum = acc.sum()
        while i < n {
            sum += x[i] * y[i]
            i += 1
        }
        return sum
    }

    /// `y[i] += a·x[i]` over `n` values, eight lanes at a time.
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let xr = UnsafeRawPointer(x), yr = UnsafeMutableRawPointer(y)
        let av = SIMD8<Float>(repeating: a)
        while i + 8 <= n {
            let xv = xr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            var yv = yr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            yv += av * xv
            yr.storeBytes(of: yv, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            y[i] += a * x[i]
            i += 1
        }
    }
}
