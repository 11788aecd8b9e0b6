// PsychRNN's BasicSimulator (spec §11): the Basic dynamics on fixed weights, in Double, without
// gradients, for analysis: ablation, perturbation, noise. Weights are used as stored (no masks,
// no Dale), which is right for effective weights from a model or a saved file.
//
//   s_k = (1 − α)·s_{k−1} + α·(φ(s_{k−1})·(W_rec ⊙ T_k)ᵀ + u_k·W_inᵀ + b_rec) + sqrt(2α·σ²)·ξ
//   z_k = φ(s_k)·W_outᵀ + b_out
//
// T_k is PsychRNN's per-step `t_connectivity[k]`; an `Ablation` adds masks on W_in and W_out too.

import Linear

/// The six arrays a simulator runs on (PsychRNN's weights dictionary).
public struct SimulatorWeights: Sendable {
  public var W_in: Matrix<Double>
  public var W_rec: Matrix<Double>
  public var W_out: Matrix<Double>
  public var b_rec: [Double]
  public var b_out: [Double]
  /// Initial state: row 0 is used for every trial, as PsychRNN's `run_trials`.
  public var initState: Matrix<Double>

  public init(
    W_in: Matrix<Double>, W_rec: Matrix<Double>, W_out: Matrix<Double>,
    b_rec: [Double], b_out: [Double], initState: Matrix<Double>
  ) throws {
    let n = W_rec.rows
    func need(_ ok: Bool, _ key: String, _ expected: [Int], _ got: [Int]) throws {
      if !ok { throw ConfigurationError.shapeMismatch(key: key, expected: expected, got: got) }
    }
    try need(W_rec.cols == n, "W_rec", [n, n], [W_rec.rows, W_rec.cols])
    try need(W_in.rows == n, "W_in", [n, W_in.cols], [W_in.rows, W_in.cols])
    try need(W_out.cols == n, "W_out", [W_out.rows, n], [W_out.rows, W_out.cols])
    try need(b_rec.count == n, "b_rec", [n], [b_rec.count])
    try need(b_out.count == W_out.rows, "b_out", [W_out.rows], [b_out.count])
    try need(initState.cols == n && initState.rows >= 1, "init_state", [1, n], [initState.rows, initState.cols])
    self.W_in = W_in; self.W_rec = W_rec; self.W_out = W_out
    self.b_rec = b_rec; self.b_out = b_out; self.initState = initState
  }

  public var nIn: Int { W_in.cols }
  public var nRec: Int { W_rec.rows }
  public var nOut: Int { W_out.rows }
}

/// Runs fixed weights forward, with optional ablation and noise.
public struct BasicSimulator: Sendable {
  public var weights: SimulatorWeights
  /// Time step and time constant; α = dt / tau.
  public var dt: Double
  public var tau: Double
  /// dt / tau.
  public var alpha: Double { dt / tau }
  /// σ_rec.
  public var recNoise: Double
  /// φ.
  public var transferFunction: TransferFunction

  public init(
    weights: SimulatorWeights, dt: Double, tau: Double, recNoise: Double = 0,
    transferFunction: TransferFunction = .relu
  ) throws {
    guard dt.isFinite && dt > 0 else {
      throw ConfigurationError.invalid(key: "dt", message: "must be a positive number, got \(dt)")
    }
    guard tau.isFinite && tau > 0 else {
      throw ConfigurationError.invalid(key: "tau", message: "must be a positive number, got \(tau)")
    }
    guard recNoise.isFinite && recNoise >= 0 else {
      throw ConfigurationError.invalid(key: "rec_noise", message: "must be a non-negative number, got \(recNoise)")
    }
    self.weights = weights; self.dt = dt; self.tau = tau; self.recNoise = recNoise; self.transferFunction = transferFunction
  }

  /// A simulator on a model's effective weights, α, noise and transfer function (`rnn_model=`).
  public init<T: LinearScalar>(model: Basic<T>) throws {
    let eff = model.effectiveWeights
    let w = try SimulatorWeights(
      W_in: eff.W_in.converted(), W_rec: eff.W_rec.converted(), W_out: eff.W_out.converted(),
      b_rec: model.variables.b_rec.storage.map(\.doubleValue), b_out: model.variables.b_out.storage.map(\.doubleValue),
      initState: model.variables.init_state.converted())
    try self.init(
      weights: w, dt: model.configuration.dt, tau: model.configuration.tau, recNoise: model.configuration.recNoise,
      transferFunction: model.configuration.transferFunction)
  }

  /// One step (PsychRNN `rnn_step`): returns (output (B, N_out), new state (B, N)).
  /// `connectivity` multiplies W_rec elementwise (all ones reproduces the model).
  public func rnnStep(
    state: Matrix<Double>, input: Matrix<Double>, connectivity: Matrix<Double>? = nil, noise: inout NumpyRandom
  ) throws -> (output: Matrix<Double>, state: Matrix<Double>) {
    let n = weights.nRec
    guard state.cols == n else {
      throw ConfigurationError.shapeMismatch(key: "state", expected: [state.rows, n], got: [state.rows, state.cols])
    }
    guard input.rows == state.rows && input.cols == weights.nIn else {
      throw ConfigurationError.shapeMismatch(key: "u", expected: [state.rows, weights.nIn], got: [input.rows, input.cols])
    }
    var wRec = weights.W_rec
    if let c = connectivity {
      guard c.rows == n && c.cols == n else {
        throw ConfigurationError.shapeMismatch(key: "t_connectivity", expected: [n, n], got: [c.rows, c.cols])
      }
      wRec = wRec .* c
    }
    let step = Step(wIn: weights.W_in, wRec: wRec, wOut: weights.W_out)
    var s = state
    let z = advance(&s, input: input.storage, step: step, noise: &noise)
    return (Matrix(rows: state.rows, cols: weights.nOut, storage: z), s)
  }

  /// Runs trials x (B, S, N_in) (PsychRNN `run_trials`), slicing x[:, k, :] per step (no squeeze quirk).
  /// `tConnectivity` (S, N, N) masks W_rec per step; `ablation` adds cuts in trial time, step k
  /// (the update producing states[:, k, :]) being at time k·dt.
  public func runTrials(
    _ x: Tensor3<Double>, tConnectivity: Tensor3<Double>? = nil, ablation: Ablation = Ablation(),
    noise: inout NumpyRandom
  ) throws -> ForwardResult<Double> {
    let (B, S, N, nIn, nOut) = (x.d0, x.d1, weights.nRec, weights.nIn, weights.nOut)
    guard x.d2 == nIn else { throw ConfigurationError.shapeMismatch(key: "x", expected: [B, S, nIn], got: x.shape) }
    if let t = tConnectivity, t.shape != [S, N, N] {
      throw ConfigurationError.shapeMismatch(key: "t_connectivity", expected: [S, N, N], got: t.shape)
    }
    try ablation.validate(nIn: nIn, nRec: N, nOut: nOut)
    let u = x.swappingFirstAxes().storage
    var state = Matrix<Double>(rows: B, cols: N) { _, j in weights.initState[0, j] }
    var states = [Double](), outputs = [Double]()
    states.reserveCapacity(S * B * N); outputs.reserveCapacity(S * B * nOut)
    var cache: (key: [Bool], step: Step)? = nil
    for k in 0..<S {
      let step: Step
      if let t = tConnectivity {
        step = ablated(ablation, at: Double(k) * dt, recMask: t.slice(k))
      } else {
        // Reuse the masked weights while the set of active cuts stays the same.
        let key = ablation.cuts.map { $0.isActive(at: Double(k) * dt) }
        if let c = cache, c.key == key {
          step = c.step
        } else {
          step = ablated(ablation, at: Double(k) * dt, recMask: nil)
          cache = (key, step)
        }
      }
      let z = advance(&state, input: Array(u[(k * B * nIn)..<((k + 1) * B * nIn)]), step: step, noise: &noise)
      states.append(contentsOf: state.storage)
      outputs.append(contentsOf: z)
    }
    return ForwardResult(
      outputs: Tensor3(S, B, nOut, storage: outputs).swappingFirstAxes(),
      states: Tensor3(S, B, N, storage: states).swappingFirstAxes())
  }

  // MARK: - Implementation

  /// The weights in force for one step.
  struct Step { var wIn: Matrix<Double>, wRec: Matrix<Double>, wOut: Matrix<Double> }

  private func ablated(_ ablation: Ablation, at t: Double, recMask: Matrix<Double>?) -> Step {
    var step = Step(wIn: weights.W_in, wRec: weights.W_rec, wOut: weights.W_out)
    if let m = recMask { step.wRec = step.wRec .* m }
    if ablation.isEmpty { return step }
    let (cIn, cRec, cOut) = ablation.masks(at: t, nIn: weights.nIn, nRec: weights.nRec, nOut: weights.nOut)
    step.wIn = step.wIn .* cIn; step.wRec = step.wRec .* cRec; step.wOut = step.wOut .* cOut
    return step
  }

  /// Advances `state` (B × N) by one step on inputs u (B × N_in, row-major); returns z (B × N_out).
  private func advance(_ state: inout Matrix<Double>, input u: [Double], step: Step, noise: inout NumpyRandom) -> [Double] {
    let B = state.rows
    let phi = transferFunction
    let rates = state.map { phi($0) }
    let uMat = Matrix(rows: B, cols: weights.nIn, storage: u)
    let drive = rates.matmul(step.wRec, transposeOther: true) + uMat.matmul(step.wIn, transposeOther: true)
    let sigma = (2 * alpha * recNoise * recNoise).squareRoot()
    var next = state
    for b in 0..<B {
      for j in 0..<weights.nRec {
        next[b, j] = (1 - alpha) * state[b, j] + alpha * (drive[b, j] + weights.b_rec[j])
      }
    }
    if sigma > 0 { for i in next.storage.indices { next.storage[i] += sigma * noise.normal() } }
    state = next
    let z = state.map { phi($0) }.matmul(step.wOut, transposeOther: true)
    var out = z.storage
    for b in 0..<B { for o in 0..<weights.nOut { out[b * weights.nOut + o] += weights.b_out[o] } }
    return out
  }
}
