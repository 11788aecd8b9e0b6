// Reusable buffers for one forward and backward pass of a Basic network, time-major. Training keeps one workspace
// for all its batches, so the time loop and the batch loop allocate nothing (fresh multi-megabyte
// buffers per batch cost more in page faults than the arithmetic at N_rec 50).
//
// B = trials, S = steps, N = N_rec. Block k of a (S+1)·B × N buffer is the B rows of step k.

import Linear

/// A Basic model's training buffers (opaque; `train` makes one and reuses it for every batch).
///
/// Two buffers carry extra columns so that one product per step does the work of several:
///
/// - `rates` rows are [r | u_next | 1], width N′ = N + N_in + 1: block k holds r_k = φ(s_k), the
///   next step's input u_{k+1} and a one. One forward product [r_{k−1} | u_k | 1]·[W_recᵀ; W_inᵀ;
///   b_rec] gives the recurrent drive, the input drive and the bias together, and one backward
///   product of the adjoints with it gives dW_rec, dW_in and db_rec together.
/// - `adjoints` rows are [α·g_{k+1} | dz_k], width N + N_out: one product with [W_rec; W_out]
///   gives h_k, and the same block, transposed, times rates block k adds dW_out and db_out too.
public final class BasicWorkspace<Scalar: LinearScalar> {
  private(set) var batch = 0, steps = 0
  /// N_in, and the row widths of `rates` (N + N_in + 1) and `adjoints` (N + N_out).
  private(set) var inputWidth = 0, rateWidth = 0, adjointWidth = 0
  /// u_1 … u_S: (S·B) × N_in; row k·B + b is trial b's input at step k + 1. The forward pass
  /// copies each block into the input columns of `rates` just after writing that block's rates,
  /// while its rows are in cache.
  var inputs = Scratch<Scalar>()
  /// Targets and mask, (S·B) × N_out, for the loss.
  var targets = Scratch<Scalar>()
  var mask = Scratch<Scalar>()
  /// s_0 … s_S: (S+1)·B × N; block 0 is init_state tiled. Training keeps only two blocks, s_{k−1}
  /// and s_k in turn: its backward pass needs the rates, not the states (φ′ from φ).
  var states = Scratch<Scalar>()
  private(set) var keepsStates = true
  /// Blocks 0 … S of rows [φ(s_k) | u_{k+1} | 1] ((S+1)·B × N′; u_{S+1} = 0).
  var rates = Scratch<Scalar>()
  /// z_1 … z_S: (S·B) × N_out.
  var outputs = Scratch<Scalar>()
  /// dL/dz_1 … dL/dz_S, (S·B) × N_out, as the loss writes it.
  var dz = Scratch<Scalar>()
  /// Blocks 0 … S of rows [α·g_{k+1} | dz_k] ((S+1)·B × (N + N_out); g_{S+1} = 0, dz_0 = 0).
  var adjoints = Scratch<Scalar>()
  /// For the current step only: h_k = dL/dr_k and the running g (B × N each).
  var h = Scratch<Scalar>()
  var g = Scratch<Scalar>()
  /// B ones: d init_state is a column sum, a product with this vector.
  var ones = Scratch<Scalar>()
  /// [W_recᵀ; W_inᵀ; b_rec] (N′ × N), [W_outᵀ; 0; b_out] (N′ × N_out) and [W_rec; W_out]
  /// ((N + N_out) × N), from the effective weights of the current batch.
  var forwardWeights = Scratch<Scalar>()
  var readoutWeights = Scratch<Scalar>()
  var backwardWeights = Scratch<Scalar>()
  /// Σ over blocks of adjointsᵀ·rates, (N + N_out) × N′: every weight and bias gradient.
  var gradientSums = Scratch<Scalar>()
  /// Runs each step's weight-gradient product on a second thread during the backward pass
  /// (`TrainingOptions.parallelWeightGradients`); nil runs them inline. Same results either way.
  let pipeline: StepPipeline?

  /// Buffers for passes on one thread, or with the weight gradients on a second (`pipelined`).
  init(pipelined: Bool = false) {
    pipeline = pipelined ? StepPipeline() : nil
  }

  deinit {
    for buffer in [
      inputs, targets, mask, states, rates, outputs, dz, adjoints, h, g, ones,
      forwardWeights, readoutWeights, backwardWeights, gradientSums,
    ] {
      buffer.free()
    }
  }

  /// Sizes every buffer for B trials of S steps (keeping every state or two); memory is
  /// reallocated only to grow.
  func prepare(batch B: Int, steps S: Int, nIn: Int, nRec N: Int, nOut: Int, keepingStates: Bool) {
    batch = B; steps = S; keepsStates = keepingStates
    inputWidth = nIn; rateWidth = N + nIn + 1; adjointWidth = N + nOut
    inputs.fit(S * B * nIn)
    targets.fit(S * B * nOut); mask.fit(S * B * nOut); outputs.fit(S * B * nOut); dz.fit(S * B * nOut)
    states.fit((keepingStates ? S + 1 : 2) * B * N); rates.fit((S + 1) * B * rateWidth)
    adjoints.fit((S + 1) * B * adjointWidth)
    h.fit(B * N); g.fit(B * N)
    ones.fitOnes(B)
    forwardWeights.fit(rateWidth * N); readoutWeights.fit(rateWidth * nOut)
    backwardWeights.fit(adjointWidth * N); gradientSums.fit(adjointWidth * rateWidth)
  }

  /// Loads trials x (B, S, N_in), converting to Scalar, time-major.
  func load<T: LinearScalar>(x: Tensor3<T>) { Self.load(x, into: inputs) }

  /// Writes [u_{k+1} | 1] into the input columns of rates block k (u_{S+1} = 0).
  func fillInputColumns(block k: Int) {
    let (B, S, W, nIn) = (batch, steps, rateWidth, inputWidth)
    let first = W - nIn - 1
    for b in 0..<B {
      let row = rates.pointer + (k * B + b) * W + first
      if k < S {
        let from = inputs.pointer + (k * B + b) * nIn
        for i in 0..<nIn { row[i] = from[i] }
      } else {
        for i in 0..<nIn { row[i] = 0 }
      }
      row[nIn] = 1
    }
  }

  /// Loads targets and mask (B, S, N_out), time-major.
  func load<T: LinearScalar>(targets y: Tensor3<T>, mask m: Tensor3<T>) {
    Self.load(y, into: targets)
    Self.load(m, into: mask)
  }

  private static func load<T: LinearScalar>(_ t: Tensor3<T>, into buffer: Scratch<Scalar>) {
    precondition(buffer.count == t.storage.count, "workspace not prepared for this shape")
    if buffer.count == 0 { return }
    t.writeSwappingFirstAxes(into: buffer.pointer)
  }
}
