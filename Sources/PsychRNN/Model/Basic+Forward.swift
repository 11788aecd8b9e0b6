// The Basic CTRNN's dynamics (spec §4.1), run time-major so every step is one BLAS product.
//
//   s_0 = init_state (one row, tiled to B trials)
//   s_k = (1 − α)·s_{k−1} + α·(φ(s_{k−1})·W_rec_effᵀ + u_k·W_in_effᵀ + b_rec) + sqrt(2α·σ²)·ξ_k
//   z_k = φ(s_k)·W_out_effᵀ + b_out                               k = 1 … S
//
// B = trials, S = steps, N = N_rec. Time-major buffers (Workspace.swift) hold block k (B rows of
// N) contiguously, so the input drive of all steps is ONE product before the loop, and each step
// is one product with W_rec plus one small readout product. (Small per-step products run in
// OpenBLAS's small-matrix kernels; one product over all S·B rows would first copy them all.)

import Linear

/// Outputs and states of a forward run, in PsychRNN's (B, S, ·) layout.
public struct ForwardResult<Scalar: LinearScalar>: Sendable {
  /// z_1 … z_S, (B, S, N_out).
  public var outputs: Tensor3<Scalar>
  /// s_1 … s_S, (B, S, N_rec). s_0 is not included, as in PsychRNN.
  public var states: Tensor3<Scalar>

  public init(outputs: Tensor3<Scalar>, states: Tensor3<Scalar>) {
    self.outputs = outputs
    self.states = states
  }
}

extension Basic {
  /// Runs trials x (B, S, N_in) without recurrent noise. Any B and S work.
  @_specialize(exported: true, where Scalar == Float)
  public func forward(_ x: Tensor3<Scalar>) throws -> ForwardResult<Scalar> {
    var unused = NumpyRandom(seed: 0)
    return try run(x, noise: &unused, withNoise: false)
  }

  /// Runs trials x (B, S, N_in), drawing recurrent noise from `noise` when `rec_noise` > 0
  /// (as PsychRNN's `test(x)` does on every run).
  @_specialize(exported: true, where Scalar == Float)
  public func forward(_ x: Tensor3<Scalar>, noise: inout NumpyRandom) throws -> ForwardResult<Scalar> {
    try run(x, noise: &noise, withNoise: true)
  }

  private func run(_ x: Tensor3<Scalar>, noise: inout NumpyRandom, withNoise: Bool) throws -> ForwardResult<Scalar> {
    let ws = Workspace<Scalar>()
    try load(x, into: ws, keepingStates: true)
    runForward(ws, weights: effectiveWeights, noise: &noise, withNoise: withNoise)
    return ForwardResult(outputs: outputs(of: ws), states: states(of: ws))
  }

  /// Checks that x is (B, S, N_in) with finite values.
  func checkInputs<T: LinearScalar>(_ x: Tensor3<T>) throws {
    guard x.d2 == configuration.nIn else {
      throw ConfigurationError.shapeMismatch(key: "x", expected: [x.d0, x.d1, configuration.nIn], got: x.shape)
    }
    guard x.isFinite else { throw ConfigurationError.invalid(key: "x", message: "contains NaN or infinite values") }
  }

  /// Checks trials x and loads them into `ws`, sized for them (keeping every state, or two).
  @_specialize(where Scalar == Float, T == Double)
  func load<T: LinearScalar>(_ x: Tensor3<T>, into ws: Workspace<Scalar>, keepingStates: Bool) throws {
    try checkInputs(x)
    let c = configuration
    ws.prepare(batch: x.d0, steps: x.d1, nIn: c.nIn, nRec: c.nRec, nOut: c.nOut, keepingStates: keepingStates)
    ws.load(x: x)
  }

  /// The outputs of the last run in `ws`, (B, S, N_out).
  func outputs(of ws: Workspace<Scalar>) -> Tensor3<Scalar> {
    Tensor3(ws.steps, ws.batch, configuration.nOut, storage: ws.outputs.array).swappingFirstAxes()
  }

  /// The states s_1 … s_S of the last run in `ws`, (B, S, N).
  func states(of ws: Workspace<Scalar>) -> Tensor3<Scalar> {
    precondition(ws.keepsStates, "the workspace kept only the last two states")
    let block = ws.batch * configuration.nRec
    let s = Array(UnsafeBufferPointer(start: ws.states.pointer + block, count: ws.steps * block))
    return Tensor3(ws.steps, ws.batch, configuration.nRec, storage: s).swappingFirstAxes()
  }

  /// The forward pass proper, on the inputs loaded into `ws`.
  @_specialize(where Scalar == Float)
  func runForward(_ ws: Workspace<Scalar>, weights w: EffectiveWeights<Scalar>, noise: inout NumpyRandom, withNoise: Bool) {
    let (B, S) = (ws.batch, ws.steps)
    let N = configuration.nRec, nOut = configuration.nOut
    let alpha = Scalar(configuration.alpha), decay = 1 - alpha
    let sigma = (2 * configuration.alpha * configuration.recNoise * configuration.recNoise).squareRoot()
    let noisy = withNoise && sigma > 0
    let phi = configuration.transferFunction
    let W = ws.rateWidth, block = B * N, rateBlock = B * W
    if B == 0 { return }
    fillForwardWeights(ws, w)
    let s = ws.states.pointer, r = ws.rates.pointer, z = ws.outputs.pointer
    let fw = ws.forwardWeights.pointer, ro = ws.readoutWeights.pointer

    // s_0: init_state on every row, and r_0 = φ(s_0) beside [u_1 | 1].
    variables.init_state.storage.withUnsafeBufferPointer { x0 in
      for b in 0..<B { (s + b * N).update(from: x0.baseAddress!, count: N) }
    }
    for b in 0..<B { phi.apply(s + b * N, r + b * W, count: N) }
    ws.fillInputColumns(block: 0)
    for k in stride(from: 1, through: S, by: 1) {
      // s_k's block: its own when every state is kept, else two blocks in turn.
      let cur = s + (ws.keepsStates ? k : k % 2) * block, prev = s + (ws.keepsStates ? k - 1 : (k - 1) % 2) * block
      let rk = r + k * rateBlock
      // α·(r_{k−1}·W_rec_effᵀ + u_k·W_in_effᵀ + b_rec), one product.
      Scalar.gemm(transA: false, transB: false, m: B, n: N, k: W, alpha: alpha,
                  a: r + (k - 1) * rateBlock, lda: W, b: fw, ldb: N, beta: 0, c: cur, ldc: N)
      if noisy { for i in 0..<block { cur[i] += Scalar(sigma * noise.normal()) } }
      phi.leakAndApply(cur, previous: prev, decay: decay, rates: rk, rateStride: W, rows: B, cols: N)
      ws.fillInputColumns(block: k)  // [u_{k+1} | 1] beside r_k, while in cache
      // z_k = r_k·W_out_effᵀ + b_out (the input columns meet zero rows).
      Scalar.gemm(transA: false, transB: false, m: B, n: nOut, k: W, alpha: 1,
                  a: rk, lda: W, b: ro, ldb: nOut, beta: 0, c: z + (k - 1) * B * nOut, ldc: nOut)
    }
  }

  /// The forward products' weights for this batch: [W_recᵀ; W_inᵀ; b_rec] and [W_outᵀ; 0; b_out].
  private func fillForwardWeights(_ ws: Workspace<Scalar>, _ w: EffectiveWeights<Scalar>) {
    let N = configuration.nRec, nIn = configuration.nIn, nOut = configuration.nOut
    let fw = ws.forwardWeights.pointer, ro = ws.readoutWeights.pointer
    for i in 0..<N {
      for j in 0..<N { fw[j * N + i] = w.W_rec[i, j] }
      for c in 0..<nIn { fw[(N + c) * N + i] = w.W_in[i, c] }
      fw[(N + nIn) * N + i] = variables.b_rec.storage[i]
    }
    for o in 0..<nOut {
      for j in 0..<N { ro[j * nOut + o] = w.W_out[o, j] }
      for c in 0..<nIn { ro[(N + c) * nOut + o] = 0 }
      ro[(N + nIn) * nOut + o] = variables.b_out.storage[o]
    }
  }
}
