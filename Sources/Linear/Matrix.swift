// A dense, row-major matrix. Entry (i, j) lives at storage[i * cols + j].
// Weight matrices follow PsychRNN's receiver × sender layout: W_rec[i, j] is the weight from unit j onto i.

/// A dense row-major matrix of `Float` or `Double`.
public struct Matrix<Scalar: LinearScalar>: Equatable, Sendable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let cols: Int
  /// The entries in row-major order; `storage.count == rows * cols`.
  public var storage: [Scalar]

  /// A matrix filled with one value.
  @inlinable
  public init(rows: Int, cols: Int, repeating value: Scalar = 0) {
    precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.cols = cols
    self.storage = [Scalar](repeating: value, count: rows * cols)
  }

  /// A matrix over existing row-major storage.
  @inlinable
  public init(rows: Int, cols: Int, storage: [Scalar]) {
    precondition(
      rows >= 0 && cols >= 0 && storage.count == rows * cols,
      "storage has \(storage.count) entries, expected \(rows)×\(cols)")
    self.rows = rows
    self.cols = cols
    self.storage = storage
  }

  /// A matrix from nested rows (all of equal length).
  public init(_ nested: [[Scalar]]) {
    let r = nested.count, c = nested.first?.count ?? 0
    precondition(nested.allSatisfy { $0.count == c }, "rows of unequal length")
    self.init(rows: r, cols: c, storage: nested.flatMap { $0 })
  }

  /// A matrix whose entry (i, j) is `f(i, j)`.
  public init(rows: Int, cols: Int, _ f: (Int, Int) -> Scalar) {
    var s = [Scalar]()
    s.reserveCapacity(rows * cols)
    for i in 0..<rows { for j in 0..<cols { s.append(f(i, j)) } }
    self.init(rows: rows, cols: cols, storage: s)
  }

  /// The n×n identity.
  public static func identity(_ n: Int) -> Matrix {
    Matrix(rows: n, cols: n) { i, j in i == j ? 1 : 0 }
  }

  /// A diagonal matrix with `d` on its diagonal.
  public static func diagonal(_ d: [Scalar]) -> Matrix {
    Matrix(rows: d.count, cols: d.count) { i, j in i == j ? d[i] : 0 }
  }

  /// (rows, cols).
  public var shape: (rows: Int, cols: Int) { (rows, cols) }

  /// Entry (i, j).
  @inlinable public subscript(i: Int, j: Int) -> Scalar {
    get { storage[i * cols + j] }
    set { storage[i * cols + j] = newValue }
  }

  /// Row i as an array.
  public func row(_ i: Int) -> [Scalar] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

  /// The transpose.
  public var transposed: Matrix {
    Matrix(rows: cols, cols: rows) { i, j in self[j, i] }
  }

  /// The same values in another scalar type.
  @inlinable
  public func converted<T: LinearScalar>(to: T.Type = T.self) -> Matrix<T> {
    Matrix<T>(rows: rows, cols: cols, storage: storage.map { T($0.doubleValue) })
  }

  /// Elementwise map.
  @inlinable
  public func map(_ f: (Scalar) -> Scalar) -> Matrix {
    Matrix(rows: rows, cols: cols, storage: storage.map(f))
  }

  /// Whether every entry is finite.
  @inlinable
  public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

  /// Largest absolute entrywise difference to another matrix of the same shape.
  @inlinable
  public func maxAbsDifference(_ other: Matrix) -> Scalar {
    precondition(rows == other.rows && cols == other.cols, "shape mismatch")
    var m: Scalar = 0
    for i in storage.indices { m = Swift.max(m, abs(storage[i] - other.storage[i])) }
    return m
  }

  /// The diagonal entries.
  public var diagonalEntries: [Scalar] { (0..<Swift.min(rows, cols)).map { self[$0, $0] } }
}

// MARK: - Products and elementwise arithmetic (BLAS-backed where it matters)

extension Matrix {
  /// op(self) · op(other), computed by BLAS gemm.
  public func matmul(_ other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
    let m = transposeSelf ? cols : rows, k = transposeSelf ? rows : cols
    let k2 = transposeOther ? other.cols : other.rows, n = transposeOther ? other.rows : other.cols
    precondition(k == k2, "matmul: inner dimensions \(k) and \(k2) differ")
    var out = Matrix(rows: m, cols: n)
    if m == 0 || n == 0 || k == 0 { return out }
    storage.withUnsafeBufferPointer { a in
      other.storage.withUnsafeBufferPointer { b in
        out.storage.withUnsafeMutableBufferPointer { c in
          Scalar.gemm(
            transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k,
            alpha: 1, a: a.baseAddress!, lda: cols, b: b.baseAddress!, ldb: other.cols,
            beta: 0, c: c.baseAddress!, ldc: n)
        }
      }
    }
    return out
  }

  /// Elementwise (Hadamard) product.
  @inlinable
  public static func .* (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(lhs.rows == rhs.rows && lhs.cols == rhs.cols, "shape mismatch in elementwise product")
    var out = lhs
    for i in out.storage.indices { out.storage[i] *= rhs.storage[i] }
    return out
  }

  @inlinable
  public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(lhs.rows == rhs.rows && lhs.cols == rhs.cols, "shape mismatch in sum")
    var out = lhs
    for i in out.storage.indices { out.storage[i] += rhs.storage[i] }
    return out
  }

  @inlinable
  public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(lhs.rows == rhs.rows && lhs.cols == rhs.cols, "shape mismatch in difference")
    var out = lhs
    for i in out.storage.indices { out.storage[i] -= rhs.storage[i] }
    return out
  }

  public static func * (lhs: Scalar, rhs: Matrix) -> Matrix { rhs.map { lhs * $0 } }
}

infix operator .* : MultiplicationPrecedence

extension Matrix: CustomStringConvertible {
  public var description: String {
    let rowsText = (0..<rows).map { i in "[" + row(i).map { "\($0)" }.joined(separator: ", ") + "]" }
    return "Matrix \(rows)×\(cols) [" + rowsText.joined(separator: ", ") + "]"
  }
}
