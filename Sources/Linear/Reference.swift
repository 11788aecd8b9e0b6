// Naive twins of the BLAS kernels: plain loops with the same signatures and meaning.
// They serve as the test oracle for BLAS.swift and as an algorithmic reference; nothing fast uses them.

public enum Reference {
  /// C ← alpha · op(A) · op(B) + beta · C, row-major, by triple loop (accumulating in Double).
  public static func gemm<T: LinearScalar>(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: T, a: UnsafePointer<T>, lda: Int,
    b: UnsafePointer<T>, ldb: Int,
    beta: T, c: UnsafeMutablePointer<T>, ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k {
          let aip = transA ? a[p * lda + i] : a[i * lda + p]
          let bpj = transB ? b[j * ldb + p] : b[p * ldb + j]
          sum += aip.doubleValue * bpj.doubleValue
        }
        let old = beta == 0 ? 0 : beta.doubleValue * c[i * ldc + j].doubleValue
        c[i * ldc + j] = T(alpha.doubleValue * sum + old)
      }
    }
  }

  /// y ← alpha · op(A) · x + beta · y (accumulating in Double).
  public static func gemv<T: LinearScalar>(
    transA: Bool, m: Int, n: Int, alpha: T, a: UnsafePointer<T>, lda: Int,
    x: UnsafePointer<T>, beta: T, y: UnsafeMutablePointer<T>
  ) {
    let outCount = transA ? n : m, inCount = transA ? m : n
    for i in 0..<outCount {
      var sum = 0.0
      for p in 0..<inCount {
        let aip = transA ? a[p * lda + i] : a[i * lda + p]
        sum += aip.doubleValue * x[p].doubleValue
      }
      y[i] = T(alpha.doubleValue * sum + (beta == 0 ? 0 : beta.doubleValue * y[i].doubleValue))
    }
  }

  /// y ← alpha · x + y.
  public static func axpy<T: LinearScalar>(count: Int, alpha: T, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>) {
    for i in 0..<count { y[i] = alpha * x[i] + y[i] }
  }

  /// Σ xᵢ·yᵢ (accumulated in Double).
  public static func dot<T: LinearScalar>(count: Int, x: UnsafePointer<T>, y: UnsafePointer<T>) -> T {
    var s = 0.0
    for i in 0..<count { s += x[i].doubleValue * y[i].doubleValue }
    return T(s)
  }
}
