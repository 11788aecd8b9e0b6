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
    try checkInputs(x)
    let ws = Workspace<Scalar>()
    prepare(ws, batch: x.d0, steps: x.d1)
    ws.load(x: x)
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

  func prepare(_ ws: Workspace<Scalar>, batch: Int, steps: Int) {
    let c = configuration
    ws.prepare(batch: batch, steps: steps, nIn: c.nIn, nRec: c.nRec, nOut: c.nOut)
  }

  /// The outputs of the last run in `ws`, (B, S, N_out).
  func outputs(of ws: Workspace<Scalar>) -> Tensor3<Scalar> {
    Tensor3(ws.steps, ws.batch, configuration.nOut, storage: ws.outputs).swappingFirstAxes()
  }

  /// The states s_1 … s_S of the last run in `ws`, (B, S, N).
  func states(of ws: Workspace<Scalar>) -> Tensor3<Scalar> {
    let block = ws.batch * configuration.nRec
    return Tensor3(ws.steps, ws.batch, configuration.nRec, storage: Array(ws.states[block...])).swappingFirstAxes()
  }

  /// The forward pass proper, on the inputs loaded into `ws`.
  @_specialize(where Scalar == Float)
  func runForward(_ ws: Workspace<Scalar>, weights w: EffectiveWeights<Scalar>, noise: inout NumpyRandom, withNoise: Bool) {
    let (B, S) = (ws.batch, ws.steps)
    let N = configuration.nRec, nIn = configuration.nIn, nOut = configuration.nOut
    let alpha = Scalar(configuration.alpha), decay = 1 - alpha
    let sigma = (2 * configuration.alpha * configuration.recNoise * configuration.recNoise).squareRoot()
    let noisy = withNoise && sigma > 0
    let phi = configuration.transferFunction
    let block = B * N
    if B == 0 { return }

    ws.states.withUnsafeMutableBufferPointer { sBuf in
      ws.rates.withUnsafeMutableBufferPointer { rBuf in
        let s = sBuf.baseAddress!, r = rBuf.baseAddress!
        // s_0: init_state on every row.
        variables.init_state.storage.withUnsafeBufferPointer { x0 in
          for b in 0..<B { (s + b * N).update(from: x0.baseAddress!, count: N) }
        }
        phi.apply(s, r, count: block)
        if S == 0 { return }
        // Input drive of every step at once: s_k ← u_k · W_inᵀ (k = 1 … S), then α·(· + b_rec).
        ws.inputs.withUnsafeBufferPointer { u in
          w.W_in.storage.withUnsafeBufferPointer { wIn in
            Scalar.gemm(transA: false, transB: true, m: S * B, n: N, k: nIn, alpha: 1,
                        a: u.baseAddress!, lda: nIn, b: wIn.baseAddress!, ldb: nIn,
                        beta: 0, c: s + block, ldc: N)
          }
        }
        variables.b_rec.storage.withUnsafeBufferPointer { bRec in
          for row in 0..<(S * B) {
            let p = s + block + row * N
            for j in 0..<N { p[j] = alpha * (p[j] + bRec[j]) }
          }
        }
        // The time loop: one product with W_rec per step, then the leak, noise and φ, then the
        // readout z_k = φ(s_k)·W_out_effᵀ (small per-step products: no packing of all S·B rates).
        for i in 0..<N { for j in 0..<N { ws.recurrentTransposed[j * N + i] = w.W_rec.storage[i * N + j] } }
        ws.recurrentTransposed.withUnsafeBufferPointer { wT in
          w.W_out.storage.withUnsafeBufferPointer { wOut in
            ws.outputs.withUnsafeMutableBufferPointer { z in
              for k in 1...S {
                let cur = s + k * block, prev = s + (k - 1) * block
                Scalar.gemm(transA: false, transB: false, m: B, n: N, k: N, alpha: alpha,
                            a: r + (k - 1) * block, lda: N, b: wT.baseAddress!, ldb: N,
                            beta: 1, c: cur, ldc: N)
                if noisy { for i in 0..<block { cur[i] += Scalar(sigma * noise.normal()) } }
                phi.leakAndApply(cur, previous: prev, decay: decay, rates: r + k * block, count: block)
                Scalar.gemm(transA: false, transB: true, m: B, n: nOut, k: N, alpha: 1,
                            a: r + k * block, lda: N, b: wOut.baseAddress!, ldb: N,
                            beta: 0, c: z.baseAddress! + (k - 1) * B * nOut, ldc: nOut)
              }
            }
          }
        }
      }
    }
    if S == 0 { return }
    // b_out on every output row.
    ws.outputs.withUnsafeMutableBufferPointer { z in
      variables.b_out.storage.withUnsafeBufferPointer { bOut in
        for row in 0..<(S * B) { for o in 0..<nOut { z[row * nOut + o] += bOut[o] } }
      }
    }
  }
}
