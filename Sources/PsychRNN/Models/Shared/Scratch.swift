// Raw buffers for the training workspaces (BasicWorkspace.swift, LSTMWorkspace.swift): plain pointers,
// so that the passes read as their formulas (`rates.pointer + k * block` is block k) and the time
// loops allocate and check nothing.

import Linear

/// A block of scratch memory owned by a workspace. Its values start undefined: every pass writes a
/// buffer before reading it (BLAS ignores C when beta is 0). Freed by the workspace.
struct Scratch<Scalar: LinearScalar> {
  private(set) var pointer = UnsafeMutablePointer<Scalar>.allocate(capacity: 1)
  /// The values in use.
  private(set) var count = 0
  private var capacity = 1

  /// Makes `n` values available; reallocates only to grow.
  mutating func fit(_ n: Int) {
    if n > capacity {
      pointer.deallocate()
      pointer = .allocate(capacity: n)
      capacity = n
    }
    count = n
  }

  /// The values as an array.
  var array: [Scalar] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

  func free() { pointer.deallocate() }
}

extension Scratch {
  /// Makes this buffer hold `n` ones (written again only when `n` changes): column sums are
  /// products with it.
  mutating func fitOnes(_ n: Int) {
    guard count != n else { return }
    fit(n)
    pointer.update(repeating: 1, count: n)
  }

  /// With this buffer holding ones: out[j] += Σ_r a[r·cols + j] over `rows` rows, as aᵀ·ones
  /// (BLAS gemv, which streams through `a` once without the packing a gemm would do).
  func addColumnSums(of a: UnsafePointer<Scalar>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Scalar>) {
    precondition(rows <= count, "not enough ones for \(rows) rows")
    Scalar.gemv(transA: true, m: rows, n: cols, alpha: 1, a: a, lda: cols, x: pointer, beta: 1, y: out)
  }
}
