// Reusable buffers for one LSTM forward and backward pass, time-major, as BasicWorkspace is for Basic: one
// workspace serves every batch of a `train` call, so neither the time loop nor the batch loop allocates.
//
// B = trials (= N_batch), S = steps, N = N_rec, G = 4N (the four gates side by side: f | i | c | o).
// Block k of a buffer is the B rows of step k; row k·B + b belongs to trial b. Buffers are plain
// pointers (`Scratch`), so the passes read as the formulas: `hidden.pointer + k * block` is h_k.

import Linear

/// An LSTM's training buffers (opaque; `train` makes one and reuses it for every batch).
public final class LSTMWorkspace<Scalar: LinearScalar> {
  private(set) var batch = 0, steps = 0
  /// Row width of `hidden`: N + N_in + 1.
  private(set) var hiddenWidth = 0
  /// Targets and mask, (S·B) × N_out.
  var targets = Scratch<Scalar>()
  var mask = Scratch<Scalar>()
  /// Steps 1 … S, (S·B) × G. The forward pass writes the gates' pre-activations, then their values
  /// (f, i, g, o); the backward pass overwrites step k's values with dL/d(pre-activations) once
  /// it no longer needs them, which leaves exactly the matrix the weight gradients need.
  /// (A forward-only pass keeps one step: B × G; likewise two blocks of `cells` and one of `squashedCells`.)
  var gates = Scratch<Scalar>()
  /// Blocks 0 … S of rows [h_k | u_{k+1} | 1], (S+1)·B × (N + N_in + 1), with u_{S+1} = 0: the
  /// hidden states with the next input and a one beside them, so that one product with W̃ gives a
  /// step's gates (biases included), and one more, transposed, its share of dW̃. Block 0's h is
  /// init_hidden.
  var hidden = Scratch<Scalar>()
  /// c_0 … c_S, (S+1)·B × N; block 0 holds init_cell.
  var cells = Scratch<Scalar>()
  /// σ(c_1) … σ(c_S), (S·B) × N.
  var squashedCells = Scratch<Scalar>()
  /// z_1 … z_S and dL/dz, (S·B) × N_out.
  var outputs = Scratch<Scalar>()
  var dz = Scratch<Scalar>()
  /// dL/dh_1 … dL/dh_S, (S·B) × N: first from the readout and the firing-rate term, then complete.
  var dHidden = Scratch<Scalar>()
  /// The running dL/dc, B × N.
  var dCell = Scratch<Scalar>()
  /// φ(h_1 … h_S) and its gradient, (S·B) × N, for the L2_firing_rate term (empty when it is off).
  var rates = Scratch<Scalar>()
  var dRates = Scratch<Scalar>()
  /// S·B ones: column sums (bias gradients) are products with this vector.
  var ones = Scratch<Scalar>()
  /// The four gates side by side with their biases as a last row, (N + N_in + 1) × G:
  ///   W̃ = [W_f | W_i | W_c | W_o]   (rows 0..<N: W_h, acting on h; rows N..<N+N_in: W_u, acting on u)
  ///       [b_f | b_i | b_c | b_o]   (row N + N_in, acting on the ones column)
  /// and its gradient, laid out alike.
  var gateWeights = Scratch<Scalar>()
  var gateWeightGradient = Scratch<Scalar>()
  /// Runs each step's dW̃ product on a second thread during the backward pass
  /// (`TrainingOptions.parallelWeightGradients`); nil runs them inline. Same results either way.
  let pipeline: StepPipeline?

  /// Buffers for passes on one thread, or with the weight gradients on a second (`pipelined`).
  init(pipelined: Bool = false) {
    pipeline = pipelined ? StepPipeline() : nil
  }

  deinit {
    for buffer in [
      targets, mask, gates, hidden, cells, squashedCells, outputs, dz, dHidden, dCell,
      rates, dRates, ones, gateWeights, gateWeightGradient,
    ] {
      buffer.free()
    }
  }

  /// Sizes the buffers of a forward pass, and those of the backward pass when `training` (a
  /// forward-only pass leaves them as they are); memory is reallocated only to grow.
  @_specialize(where Scalar == Float)
  func prepare(batch B: Int, steps S: Int, nIn: Int, nRec N: Int, nOut: Int, training: Bool, firingRate: Bool) {
    batch = B; steps = S
    let G = 4 * N
    hiddenWidth = N + nIn + 1
    outputs.fit(S * B * nOut); hidden.fit((S + 1) * B * hiddenWidth)
    gateWeights.fit((N + nIn + 1) * G)
    // Without a backward pass, one step's gates and σ(c), and c_{k−1}, c_k, are all the forward needs.
    gates.fit((training ? S : 1) * B * G)
    cells.fit((training ? S + 1 : 2) * B * N)
    squashedCells.fit((training ? S : 1) * B * N)
    guard training else { return }
    targets.fit(S * B * nOut); mask.fit(S * B * nOut); dz.fit(S * B * nOut)
    dHidden.fit(S * B * N); dCell.fit(B * N); gateWeightGradient.fit((N + nIn + 1) * G)
    rates.fit(firingRate ? S * B * N : 0); dRates.fit(firingRate ? S * B * N : 0)
    ones.fitOnes(S * B)
  }

  /// Loads trials x (B, S, N_in) into the input columns of `hidden` (converting to Scalar,
  /// time-major): block k gets u_{k+1} and a 1, block S zeros and a 1.
  @_specialize(where Scalar == Float, T == Double)
  @_specialize(where Scalar == Float, T == Float)
  func load<T: LinearScalar>(x: Tensor3<T>) {
    let (B, S, nIn) = (x.d0, x.d1, x.d2)
    let W = hiddenWidth, first = W - nIn - 1
    precondition(
      B == batch && S == steps && first >= 0 && hidden.count == (S + 1) * B * W,
      "workspace not prepared for this shape")
    x.storage.withUnsafeBufferPointer { src in
      for k in 0...S {
        for b in 0..<B {
          let row = hidden.pointer + (k * B + b) * W + first
          if k < S {
            let from = (b * S + k) * nIn
            for j in 0..<nIn { row[j] = Scalar(src[from + j].doubleValue) }
          } else {
            for j in 0..<nIn { row[j] = 0 }
          }
          row[nIn] = 1
        }
      }
    }
  }

  /// Loads targets and mask (B, S, N_out), time-major.
  @_specialize(where Scalar == Float, T == Double)
  @_specialize(where Scalar == Float, T == Float)
  func load<T: LinearScalar>(targets y: Tensor3<T>, mask m: Tensor3<T>) {
    Self.load(y, into: targets)
    Self.load(m, into: mask)
  }

  /// Packs W̃: row r is [W_f[r] | W_i[r] | W_c[r] | W_o[r]], the last row [b_f | b_i | b_c | b_o].
  func packGates(_ v: LSTMVariables<Scalar>, nRec N: Int) {
    let weights = v.gateWeights, biases = v.gateBiases
    let rows = weights[0].rows, G = 4 * N
    let w = gateWeights.pointer
    for g in 0..<4 {
      for r in 0..<rows { for j in 0..<N { w[r * G + g * N + j] = weights[g].storage[r * N + j] } }
      for j in 0..<N { w[rows * G + g * N + j] = biases[g].storage[j] }
    }
  }

  /// The inverse of `packGates` for the gradient: writes dW_f … dW_o and db_f … db_o into `grads`.
  func unpackGateGradients(into grads: inout LSTMVariables<Scalar>, nRec N: Int) {
    let rows = grads.W_f.rows, G = 4 * N
    let dW = gateWeightGradient.pointer
    let weightNames: [VariableName] = [.W_f, .W_i, .W_c, .W_o], biasNames: [VariableName] = [.b_f, .b_i, .b_c, .b_o]
    for g in 0..<4 {
      grads[weightNames[g]] = Matrix(rows: rows, cols: N) { r, j in dW[r * G + g * N + j] }
      grads[biasNames[g]] = Matrix(rows: 1, cols: N) { _, j in dW[rows * G + g * N + j] }
    }
  }

  private static func load<T: LinearScalar>(_ t: Tensor3<T>, into buffer: Scratch<Scalar>) {
    precondition(buffer.count == t.storage.count, "workspace not prepared for this shape")
    if buffer.count == 0 { return }
    t.writeSwappingFirstAxes(into: buffer.pointer)
  }
}
