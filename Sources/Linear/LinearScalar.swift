// The scalar types our matrices hold: Float (models and training, PsychRNN's precision)
// and Double (eigenvalues, finite-difference gradient checks, analysis).
//
// Each requirement is a whole-buffer kernel, implemented once per type in BLAS.swift, so that
// generic model code pays one dynamic dispatch per kernel call, never one per element.

/// A floating-point type that Linear's kernels and OpenBLAS support: `Float` or `Double`.
public protocol LinearScalar: BinaryFloatingPoint, Sendable, CustomStringConvertible
where Self.RawSignificand: FixedWidthInteger {
  /// C ← alpha · op(A) · op(B) + beta · C, all row-major. op(A) is m×k, op(B) is k×n, C is m×n.
  static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Self, a: UnsafePointer<Self>, lda: Int,
    b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

  /// y ← alpha · op(A) · x + beta · y, A row-major m×n (op(A) is n×m when transposed).
  static func gemv(
    transA: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
    x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)

  /// y ← alpha · x + y over `count` contiguous elements.
  static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

  /// Σ xᵢ·yᵢ over `count` contiguous elements.
  static func dot(count: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>) -> Self

  /// Converts from Double (rounding to nearest for Float).
  init(_ value: Double)
  /// The value as a Double (exact for both conforming types).
  var doubleValue: Double { get }
}

extension Float: LinearScalar {
  @inlinable public var doubleValue: Double { Double(self) }
}

extension Double: LinearScalar {
  @inlinable public var doubleValue: Double { self }
}
