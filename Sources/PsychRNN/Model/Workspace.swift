// Reusable buffers for one forward and backward pass, time-major. Training keeps one workspace
// for all its batches, so the time loop and the batch loop allocate nothing (fresh multi-megabyte
// buffers per batch cost more in page faults than the arithmetic at N_rec 50).
//
// B = trials, S = steps, N = N_rec. Block k of a (S+1)·B × N buffer is the B rows of step k.

import Linear

/// A Basic model's training buffers (opaque; `train` makes one and reuses it for every batch).
public final class Workspace<Scalar: LinearScalar> {
  private(set) var batch = 0, steps = 0
  /// u_1 … u_S: (S·B) × N_in; row k·B + b is trial b's input at step k + 1.
  var inputs: [Scalar] = []
  /// Targets and mask, (S·B) × N_out, for the loss.
  var targets: [Scalar] = []
  var mask: [Scalar] = []
  /// s_0 … s_S and φ(s_0) … φ(s_S): (S+1)·B × N; block 0 is init_state tiled.
  var states: [Scalar] = []
  var rates: [Scalar] = []
  /// z_1 … z_S: (S·B) × N_out.
  var outputs: [Scalar] = []
  /// Backward: dL/dz ((S·B) × N_out), α·g_1…S ((S·B) × N), and for the current step only,
  /// h_k = dL/dr_k and the running g (B × N each).
  var dz: [Scalar] = []
  var alphaG: [Scalar] = []
  var h: [Scalar] = []
  var g: [Scalar] = []
  /// S·B ones: column sums (bias gradients) are products with this vector.
  var ones: [Scalar] = []
  /// W_rec_effᵀ, so each forward step is a plain (non-transposed) product, OpenBLAS's fastest path
  /// for small matrices.
  var recurrentTransposed: [Scalar] = []
  /// Runs each step's weight-gradient products on a second thread during the backward pass
  /// (`TrainingOptions.parallelWeightGradients`); nil runs them inline. Same results either way.
  let pipeline: StepPipeline?

  /// Buffers for passes on one thread, or with the weight gradients on a second (`pipelined`).
  init(pipelined: Bool = false) {
    pipeline = pipelined ? StepPipeline() : nil
  }

  /// Sizes every buffer for B trials of S steps; reallocates only when a size changes.
  func prepare(batch B: Int, steps S: Int, nIn: Int, nRec N: Int, nOut: Int) {
    func fit(_ a: inout [Scalar], _ count: Int) {
      if a.count != count { a = [Scalar](repeating: 0, count: count) }
    }
    batch = B; steps = S
    fit(&inputs, S * B * nIn)
    fit(&targets, S * B * nOut); fit(&mask, S * B * nOut); fit(&outputs, S * B * nOut); fit(&dz, S * B * nOut)
    fit(&states, (S + 1) * B * N); fit(&rates, (S + 1) * B * N)
    fit(&alphaG, S * B * N)
    fit(&h, B * N); fit(&g, B * N)
    if ones.count != S * B { ones = [Scalar](repeating: 1, count: S * B) }
    fit(&recurrentTransposed, N * N)
  }

  /// Loads trials x (B, S, N_in), converting to Scalar, time-major.
  func load<T: LinearScalar>(x: Tensor3<T>) { Self.load(x, into: &inputs) }

  /// Loads targets and mask (B, S, N_out), time-major.
  func load<T: LinearScalar>(targets y: Tensor3<T>, mask m: Tensor3<T>) {
    Self.load(y, into: &targets)
    Self.load(m, into: &mask)
  }

  /// column sums: out[j] += Σ_r a[r·cols + j] over `rows` rows, as aᵀ·ones (BLAS gemv, which
  /// streams through `a` once without the packing a gemm would do).
  func addColumnSums(of a: UnsafePointer<Scalar>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Scalar>) {
    precondition(rows <= ones.count, "workspace not prepared for \(rows) rows")
    ones.withUnsafeBufferPointer { one in
      Scalar.gemv(transA: true, m: rows, n: cols, alpha: 1, a: a, lda: cols, x: one.baseAddress!, beta: 1, y: out)
    }
  }

  private static func load<T: LinearScalar>(_ t: Tensor3<T>, into buffer: inout [Scalar]) {
    precondition(buffer.count == t.storage.count, "workspace not prepared for this shape")
    if buffer.isEmpty { return }
    buffer.withUnsafeMutableBufferPointer { t.writeSwappingFirstAxes(into: $0.baseAddress!) }
  }
}
