// PsychRNN's LSTMSimulator (spec §11.4): the LSTM's dynamics on fixed weights, in Double, without
// gradients, one plain step at a time (the model's fast pass is in LSTM/LSTM+Pass.swift):
//
//   q = [h, u]    f = σ(q·W_f + b_f)   i = σ(q·W_i + b_i)   g = tanh(q·W_c + b_c)   o = σ(q·W_o + b_o)
//   c ← f ⊙ c + i ⊙ g    h ← o ⊙ σ(c)    z = h·W_outᵀ + b_out
//
// PsychRNN's `run_trials` starts EVERY trial from row 0 of init_hidden and init_cell, so it differs
// from the LSTM model (one row per trial) on early steps; `.perTrial` starts trial b from row b
// and reproduces the model.

import Foundation
import Linear

/// The arrays an LSTM simulator runs on (keys of PsychRNN's weights dictionary).
public struct LSTMSimulatorWeights: Sendable {
  /// Initial states, (rows, N): PsychRNN saves N_batch rows.
  public var initHidden: Matrix<Double>
  public var initCell: Matrix<Double>
  /// Gate weights (N + N_in, N), acting on [h, u] from the right, and gate biases (N).
  public var W_f: Matrix<Double>, W_i: Matrix<Double>, W_c: Matrix<Double>, W_o: Matrix<Double>
  public var b_f: [Double], b_i: [Double], b_c: [Double], b_o: [Double]
  /// Readout, (N_out, N) and (N_out).
  public var W_out: Matrix<Double>
  public var b_out: [Double]

  /// The arrays, with their shapes checked against each other.
  public init(
    initHidden: Matrix<Double>, initCell: Matrix<Double>,
    W_f: Matrix<Double>, W_i: Matrix<Double>, W_c: Matrix<Double>, W_o: Matrix<Double>,
    b_f: [Double], b_i: [Double], b_c: [Double], b_o: [Double],
    W_out: Matrix<Double>, b_out: [Double]
  ) throws {
    let n = W_f.cols, rows = W_f.rows
    func need(_ ok: Bool, _ key: String, _ expected: [Int], _ got: [Int]) throws {
      if !ok { throw ConfigurationError.shapeMismatch(key: key, expected: expected, got: got) }
    }
    try need(rows > n, "W_f", [n + 1, n], [rows, n])
    for (key, w) in [("W_i", W_i), ("W_c", W_c), ("W_o", W_o)] {
      try need(w.shape == (rows, n), key, [rows, n], [w.rows, w.cols])
    }
    for (key, b) in [("b_f", b_f), ("b_i", b_i), ("b_c", b_c), ("b_o", b_o)] { try need(b.count == n, key, [n], [b.count]) }
    try need(
      initHidden.cols == n && initHidden.rows >= 1, "init_hidden", [max(initHidden.rows, 1), n],
      [initHidden.rows, initHidden.cols])
    try need(initCell.shape == initHidden.shape, "init_cell", [initHidden.rows, n], [initCell.rows, initCell.cols])
    try need(W_out.cols == n, "W_out", [W_out.rows, n], [W_out.rows, W_out.cols])
    try need(b_out.count == W_out.rows, "b_out", [W_out.rows], [b_out.count])
    self.initHidden = initHidden; self.initCell = initCell
    self.W_f = W_f; self.W_i = W_i; self.W_c = W_c; self.W_o = W_o
    self.b_f = b_f; self.b_i = b_i; self.b_c = b_c; self.b_o = b_o
    self.W_out = W_out; self.b_out = b_out
  }

  /// The LSTM arrays of a weights file (PsychRNN's `weights_path=`).
  public init(contentsOf path: String) throws {
    let contents = try Checkpoint.load(path: path)
    let missing = VariableName.lstm.filter { contents.lstmVariables[$0] == nil }.map(\.rawValue)
    guard missing.isEmpty else { throw CheckpointError.missingKeys(path: path, keys: missing) }
    func m(_ name: VariableName) -> Matrix<Double> { contents.lstmVariables[name]! }
    try self.init(
      initHidden: m(.init_hidden), initCell: m(.init_cell), W_f: m(.W_f), W_i: m(.W_i), W_c: m(.W_c), W_o: m(.W_o),
      b_f: m(.b_f).storage, b_i: m(.b_i).storage, b_c: m(.b_c).storage, b_o: m(.b_o).storage,
      W_out: contents.weights.W_out, b_out: contents.weights.b_out)
  }

  /// N_in, N_rec (N) and N_out, from the shapes.
  public var nIn: Int { W_f.rows - W_f.cols }
  public var nRec: Int { W_f.cols }
  public var nOut: Int { W_out.rows }
}

/// Where each simulated trial starts.
public enum LSTMInitialStates: Sendable, Equatable {
  /// Row 0 of init_hidden and init_cell for every trial, as PsychRNN's `run_trials` (any number of trials).
  case firstRow
  /// Trial b from row b, as the LSTM model itself runs (exactly as many trials as rows, i.e. N_batch).
  case perTrial
}

/// Runs an LSTM's fixed weights forward (PsychRNN `LSTMSimulator`).
public struct LSTMSimulator: Sendable {
  public var weights: LSTMSimulatorWeights

  /// A simulator on given weights (`weights=`).
  public init(weights: LSTMSimulatorWeights) { self.weights = weights }

  /// A simulator on a model's weights (`rnn_model=`).
  public init<T: LinearScalar>(model: LSTM<T>) throws {
    let v = model.variables.converted(to: Double.self)
    weights = try LSTMSimulatorWeights(
      initHidden: v.init_hidden, initCell: v.init_cell, W_f: v.W_f, W_i: v.W_i, W_c: v.W_c, W_o: v.W_o,
      b_f: v.b_f.storage, b_i: v.b_i.storage, b_c: v.b_c.storage, b_o: v.b_o.storage,
      W_out: v.base.W_out, b_out: v.base.b_out.storage)
  }

  /// One step (PsychRNN `rnn_step`) for B trials: hidden and cell (B × N), input (B × N_in);
  /// returns (output (B × N_out), new hidden, new cell).
  public func rnnStep(
    hidden h: Matrix<Double>, cell c: Matrix<Double>, input u: Matrix<Double>
  ) throws
    -> (output: Matrix<Double>, hidden: Matrix<Double>, cell: Matrix<Double>)
  {
    let (n, nIn) = (weights.nRec, weights.nIn)
    guard h.cols == n else { throw ConfigurationError.shapeMismatch(key: "h", expected: [h.rows, n], got: [h.rows, h.cols]) }
    guard c.shape == h.shape else {
      throw ConfigurationError.shapeMismatch(key: "c", expected: [h.rows, n], got: [c.rows, c.cols])
    }
    guard u.rows == h.rows && u.cols == nIn else {
      throw ConfigurationError.shapeMismatch(key: "u", expected: [h.rows, nIn], got: [u.rows, u.cols])
    }
    let q = Matrix(rows: h.rows, cols: n + nIn) { b, j in j < n ? h[b, j] : u[b, j - n] }
    func gate(_ w: Matrix<Double>, _ bias: [Double], _ f: (Double) -> Double) -> Matrix<Double> {
      var a = q.matmul(w)
      for b in 0..<a.rows { for j in 0..<n { a[b, j] = f(a[b, j] + bias[j]) } }
      return a
    }
    let sigmoid = { (x: Double) in 1 / (1 + exp(-x)) }
    let f = gate(weights.W_f, weights.b_f, sigmoid), i = gate(weights.W_i, weights.b_i, sigmoid)
    let g = gate(weights.W_c, weights.b_c, tanh), o = gate(weights.W_o, weights.b_o, sigmoid)
    let newCell = f .* c + i .* g
    let newHidden = o .* newCell.map(sigmoid)
    var z = newHidden.matmul(weights.W_out, transposeOther: true)
    for b in 0..<z.rows { for k in 0..<z.cols { z[b, k] += weights.b_out[k] } }
    return (z, newHidden, newCell)
  }

  /// Runs trials x (B, S, N_in) (PsychRNN `run_trials`); returns outputs (B, S, N_out) and hidden
  /// states (B, S, N). `initialStates` says where trials start (default PsychRNN's row 0).
  public func runTrials(_ x: Tensor3<Double>, initialStates: LSTMInitialStates = .firstRow) throws -> ForwardResult<Double> {
    let (B, S, N) = (x.d0, x.d1, weights.nRec)
    guard x.d2 == weights.nIn else {
      throw ConfigurationError.shapeMismatch(key: "x", expected: [B, S, weights.nIn], got: x.shape)
    }
    var h: Matrix<Double>, c: Matrix<Double>
    switch initialStates {
    case .firstRow:
      h = Matrix(rows: B, cols: N) { _, j in weights.initHidden[0, j] }
      c = Matrix(rows: B, cols: N) { _, j in weights.initCell[0, j] }
    case .perTrial:
      guard B == weights.initHidden.rows else {
        throw ConfigurationError.invalid(
          key: "initial_states",
          message: "per trial needs one trial per row of init_hidden (\(weights.initHidden.rows)), got \(B) trials")
      }
      (h, c) = (weights.initHidden, weights.initCell)
    }
    let u = x.swappingFirstAxes().storage
    var states = [Double](), outputs = [Double]()
    states.reserveCapacity(S * B * N); outputs.reserveCapacity(S * B * weights.nOut)
    for k in 0..<S {
      let uk = Matrix(rows: B, cols: weights.nIn, storage: Array(u[(k * B * weights.nIn)..<((k + 1) * B * weights.nIn)]))
      let step = try rnnStep(hidden: h, cell: c, input: uk)
      (h, c) = (step.hidden, step.cell)
      states.append(contentsOf: h.storage)
      outputs.append(contentsOf: step.output.storage)
    }
    return ForwardResult(
      outputs: Tensor3(S, B, weights.nOut, storage: outputs).swappingFirstAxes(),
      states: Tensor3(S, B, N, storage: states).swappingFirstAxes())
  }
}
