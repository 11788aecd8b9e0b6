// The only file that imports OpenBLAS. Everything numerical that leaves Swift goes through here:
// gemm/axpy/dot for both scalar types, the thread count, and LAPACK: dgeev (eigenvalues), dgesdd
// (singular values), dgesv (linear systems).

import CBLAS
import Foundation

/// Process-wide OpenBLAS settings.
public enum BLAS {
  /// Sets how many threads OpenBLAS may use. One by default: on a 2-core machine with the other core
  /// busy, two threads were measured about ten times slower than one for our matrix sizes.
  public static func setThreadCount(_ n: Int) {
    openblas_set_num_threads(Int32(max(1, n)))
  }

  /// The number of threads OpenBLAS currently uses.
  public static var threadCount: Int {
    ensureConfigured()
    return Int(openblas_get_num_threads())
  }

  /// Applies the default thread count once: `OPENBLAS_NUM_THREADS` from the environment when set,
  /// else one thread. Called by every kernel; after the first call this is a cheap check.
  @inline(__always) static func ensureConfigured() { _ = configureOnce }

  private static let configureOnce: Void = {
    if let s = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"], let n = Int(s), n > 0 {
      openblas_set_num_threads(Int32(n))
    } else {
      openblas_set_num_threads(1)
    }
  }()
}

/// y ← beta·y, what gemv means when op(A) has no columns (BLAS itself returns early there).
private func scaleOnly<T: LinearScalar>(_ y: UnsafeMutablePointer<T>, count: Int, beta: T) {
  for i in 0..<count { y[i] = beta == 0 ? 0 : beta * y[i] }
}

@inline(__always) private func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE {
  t ? CblasTrans : CblasNoTrans
}

extension Float {
  public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if m == 0 || n == 0 { return }
    BLAS.ensureConfigured()
    cblas_sgemm(
      CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(max(lda, 1)), b, blasint(max(ldb, 1)),
      beta, c, blasint(max(ldc, 1)))
  }

  public static func gemv(
    transA: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
  ) {
    let outCount = transA ? n : m, inCount = transA ? m : n
    if outCount == 0 { return }
    if inCount == 0 { return scaleOnly(y, count: outCount, beta: beta) }
    BLAS.ensureConfigured()
    cblas_sgemv(
      CblasRowMajor, cblasTranspose(transA), blasint(m), blasint(n), alpha, a, blasint(max(lda, 1)),
      x, 1, beta, y, 1)
  }

  public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    if count == 0 { return }
    BLAS.ensureConfigured()
    cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
  }

  public static func dot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
    if count == 0 { return 0 }
    BLAS.ensureConfigured()
    return cblas_sdot(blasint(count), x, 1, y, 1)
  }
}

extension Double {
  public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int,
    b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    if m == 0 || n == 0 { return }
    BLAS.ensureConfigured()
    cblas_dgemm(
      CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(max(lda, 1)), b, blasint(max(ldb, 1)),
      beta, c, blasint(max(ldc, 1)))
  }

  public static func gemv(
    transA: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
    x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
  ) {
    let outCount = transA ? n : m, inCount = transA ? m : n
    if outCount == 0 { return }
    if inCount == 0 { return scaleOnly(y, count: outCount, beta: beta) }
    BLAS.ensureConfigured()
    cblas_dgemv(
      CblasRowMajor, cblasTranspose(transA), blasint(m), blasint(n), alpha, a, blasint(max(lda, 1)),
      x, 1, beta, y, 1)
  }

  public static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
    if count == 0 { return }
    BLAS.ensureConfigured()
    cblas_daxpy(blasint(count), alpha, x, 1, y, 1)
  }

  public static func dot(count: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
    if count == 0 { return 0 }
    BLAS.ensureConfigured()
    return cblas_ddot(blasint(count), x, 1, y, 1)
  }
}

// MARK: - LAPACK

/// Errors from LAPACK routines.
public enum LAPACKError: Error, CustomStringConvertible, Equatable {
  /// The routine reported a failure (`info` ≠ 0).
  case failed(routine: String, info: Int)
  /// The input contains NaN or infinity, which LAPACK cannot handle.
  case nonFinite

  public var description: String {
    switch self {
    case .failed(let routine, let info): return "LAPACK \(routine) failed (info = \(info))"
    case .nonFinite: return "matrix contains NaN or infinite entries"
    }
  }
}

/// The eigenvalues (real and imaginary parts) of a square matrix, by LAPACK dgeev.
public func eigenvalues(of matrix: Matrix<Double>) throws -> (real: [Double], imaginary: [Double]) {
  precondition(matrix.rows == matrix.cols, "eigenvalues need a square matrix")
  let n = matrix.rows
  if n == 0 { return ([], []) }
  if matrix.storage.contains(where: { !$0.isFinite }) { throw LAPACKError.nonFinite }
  BLAS.ensureConfigured()
  // dgeev is column-major: pass the transpose. The eigenvalues of Aᵀ equal those of A.
  var a = matrix.storage
  var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
  var nn = Int32(n), lda = Int32(n), one: Int32 = 1, info: Int32 = 0
  var vl = [Double](repeating: 0, count: 1), vr = [Double](repeating: 0, count: 1)
  var jobvl = CChar(UInt8(ascii: "N")), jobvr = CChar(UInt8(ascii: "N"))
  // Workspace query, then the real call.
  var lwork: Int32 = -1
  var query = [Double](repeating: 0, count: 1)
  dgeev_(&jobvl, &jobvr, &nn, &a, &lda, &wr, &wi, &vl, &one, &vr, &one, &query, &lwork, &info)
  lwork = Int32(max(query[0], Double(4 * n)))
  var work = [Double](repeating: 0, count: Int(lwork))
  dgeev_(&jobvl, &jobvr, &nn, &a, &lda, &wr, &wi, &vl, &one, &vr, &one, &work, &lwork, &info)
  if info != 0 { throw LAPACKError.failed(routine: "dgeev", info: Int(info)) }
  return (wr, wi)
}

/// The spectral radius ρ(A) = max |λᵢ| of a square matrix (eigenvalues by LAPACK dgeev).
public func spectralRadius(of matrix: Matrix<Double>) throws -> Double {
  let (re, im) = try eigenvalues(of: matrix)
  var rho = 0.0
  for i in re.indices { rho = max(rho, (re[i] * re[i] + im[i] * im[i]).squareRoot()) }
  return rho
}

/// The thin singular value decomposition A = U·diag(s)·Vᵀ of an m × n matrix, by LAPACK dgesdd:
/// U is m × k, s has k values in descending order, Vᵀ is k × n, with k = min(m, n).
public func singularValueDecomposition(
  of matrix: Matrix<Double>
) throws
  -> (u: Matrix<Double>, s: [Double], vt: Matrix<Double>)
{
  let m = matrix.rows, n = matrix.cols, k = min(m, n)
  if k == 0 { return (Matrix(rows: m, cols: 0), [], Matrix(rows: 0, cols: n)) }
  if matrix.storage.contains(where: { !$0.isFinite }) { throw LAPACKError.nonFinite }
  BLAS.ensureConfigured()
  // Row-major A is column-major Aᵀ (n × m). Decompose Aᵀ = U'·S·V'ᵀ; then A = V'·S·U'ᵀ, so
  // U = V' and Vᵀ = U'ᵀ, which come out of LAPACK already in row-major form.
  var a = matrix.storage
  var s = [Double](repeating: 0, count: k)
  var uPrime = [Double](repeating: 0, count: n * k)  // n × k column-major = k × n row-major: Vᵀ
  var vtPrime = [Double](repeating: 0, count: k * m)  // k × m column-major = m × k row-major: U
  var rows = Int32(n), cols = Int32(m), lda = Int32(n), ldu = Int32(n), ldvt = Int32(k), info: Int32 = 0
  var job = CChar(UInt8(ascii: "S"))
  var iwork = [Int32](repeating: 0, count: 8 * k)
  var lwork: Int32 = -1
  var query = [Double](repeating: 0, count: 1)
  dgesdd_(&job, &rows, &cols, &a, &lda, &s, &uPrime, &ldu, &vtPrime, &ldvt, &query, &lwork, &iwork, &info)
  lwork = Int32(max(query[0], 1))
  var work = [Double](repeating: 0, count: Int(lwork))
  dgesdd_(&job, &rows, &cols, &a, &lda, &s, &uPrime, &ldu, &vtPrime, &ldvt, &work, &lwork, &iwork, &info)
  if info != 0 { throw LAPACKError.failed(routine: "dgesdd", info: Int(info)) }
  return (Matrix(rows: m, cols: k, storage: vtPrime), s, Matrix(rows: k, cols: n, storage: uPrime))
}

/// The solution x of A·x = b for a square A, by LAPACK dgesv (LU with partial pivoting). Throws
/// `LAPACKError.failed` with info > 0 when A is exactly singular (U[info−1, info−1] = 0).
public func solveLinearSystem(_ matrix: Matrix<Double>, _ b: [Double]) throws -> [Double] {
  precondition(matrix.rows == matrix.cols && b.count == matrix.rows, "solveLinearSystem needs a square A and a matching b")
  let n = matrix.rows
  if n == 0 { return [] }
  if matrix.storage.contains(where: { !$0.isFinite }) || b.contains(where: { !$0.isFinite }) { throw LAPACKError.nonFinite }
  BLAS.ensureConfigured()
  // dgesv is column-major: row-major A is column-major Aᵀ, so transpose it first.
  var a = matrix.transposed.storage
  var x = b
  var nn = Int32(n), nrhs: Int32 = 1, lda = Int32(n), ldb = Int32(n), info: Int32 = 0
  var pivots = [Int32](repeating: 0, count: n)
  dgesv_(&nn, &nrhs, &a, &lda, &pivots, &x, &ldb, &info)
  if info != 0 { throw LAPACKError.failed(routine: "dgesv", info: Int(info)) }
  return x
}

/// Eigenvalues and right eigenvectors of a square matrix, by LAPACK dgeev. Row k of `vectorsReal`
/// and `vectorsImaginary` is the eigenvector of eigenvalue k (A·v = λ·v), of unit length, as
/// LAPACK normalises it (a conjugate pair's second vector is the conjugate of the first).
public func eigendecomposition(
  of matrix: Matrix<Double>
) throws -> (real: [Double], imaginary: [Double], vectorsReal: Matrix<Double>, vectorsImaginary: Matrix<Double>) {
  precondition(matrix.rows == matrix.cols, "eigenvectors need a square matrix")
  let n = matrix.rows
  if n == 0 { return ([], [], Matrix(rows: 0, cols: 0), Matrix(rows: 0, cols: 0)) }
  if matrix.storage.contains(where: { !$0.isFinite }) { throw LAPACKError.nonFinite }
  BLAS.ensureConfigured()
  // Transposed so that LAPACK's column-major view is A itself; column k of VR is then v_k.
  var a = matrix.transposed.storage
  var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
  var nn = Int32(n), lda = Int32(n), one: Int32 = 1, ldvr = Int32(n), info: Int32 = 0
  var vl = [Double](repeating: 0, count: 1), vr = [Double](repeating: 0, count: n * n)
  var jobvl = CChar(UInt8(ascii: "N")), jobvr = CChar(UInt8(ascii: "V"))
  var lwork: Int32 = -1
  var query = [Double](repeating: 0, count: 1)
  dgeev_(&jobvl, &jobvr, &nn, &a, &lda, &wr, &wi, &vl, &one, &vr, &ldvr, &query, &lwork, &info)
  lwork = Int32(max(query[0], Double(4 * n)))
  var work = [Double](repeating: 0, count: Int(lwork))
  dgeev_(&jobvl, &jobvr, &nn, &a, &lda, &wr, &wi, &vl, &one, &vr, &ldvr, &work, &lwork, &info)
  if info != 0 { throw LAPACKError.failed(routine: "dgeev", info: Int(info)) }
  // vr column-major: vr[k*n + i] = component i of column k, i.e. row-major rows are the columns.
  var re = Matrix<Double>(rows: n, cols: n), im = Matrix<Double>(rows: n, cols: n)
  var k = 0
  while k < n {
    if wi[k] != 0 && k + 1 < n {
      for i in 0..<n {
        re[k, i] = vr[k * n + i]; im[k, i] = vr[(k + 1) * n + i]
        re[k + 1, i] = vr[k * n + i]; im[k + 1, i] = -vr[(k + 1) * n + i]
      }
      k += 2
    } else {
      for i in 0..<n { re[k, i] = vr[k * n + i] }
      k += 1
    }
  }
  return (wr, wi, re, im)
}
