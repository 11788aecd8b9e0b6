// Exact gradients of loss + regularization by backpropagation through time, beside the forward
// pass in Basic+Forward.swift. Same shape letters: B trials, S steps, N = N_rec; buffers time-major.
//
// With r_k = φ(s_k), g_k = dL/ds_k and h_k = dL/dr_k:
//
//   h_k = dR_k + (α·g_{k+1})·W_rec_eff          (dR_k: from the readout and the firing-rate term)
//   g_k = h_k ⊙ φ′(s_k) + (1 − α)·g_{k+1}        k = S … 0   (g_{S+1} = 0)
//
//   dW_rec_eff = Σ_k (α·g_k)ᵀ·r_{k−1}   dW_in_eff = Σ_k (α·g_k)ᵀ·u_k   db_rec = Σ_k α·g_k
//   dW_out_eff = Σ_k dz_kᵀ·r_k           db_out = Σ_k dz_k             d init_state = Σ_b g_0[b]
//
// Per step: h_k from two products, the fused elementwise step, then the step's weight gradients
// (three small products and a column sum), which training runs on the second core behind the
// recursion (StepPipeline.swift). Per-step products measured faster than one product over all
// S·B stacked rows (pd50: 11.5 → 9.9 ms per batch): OpenBLAS runs them without copying, on data
// still in cache. Then the chain rule through masks, abs() and Dale (Constraints.swift).

import Linear

extension Basic {
  /// Loss + regularization of trials x against targets y under mask (all (B, S, ·)) and its
  /// gradient with respect to every raw variable. Recurrent noise is drawn from `noise` when
  /// `rec_noise` > 0.
  @_specialize(exported: true, where Scalar == Float)
  public func lossAndGradients(
    x: Tensor3<Scalar>, y: Tensor3<Scalar>, mask: Tensor3<Scalar>, noise: inout NumpyRandom
  ) throws -> LossAndGradients<BasicVariables<Scalar>> {
    try lossAndGradients(x: x, y: y, mask: mask, workspace: Workspace(), noise: &noise)
  }

  /// Loss + regularization only (no gradient), e.g. for logging.
  @_specialize(exported: true, where Scalar == Float)
  public func loss(x: Tensor3<Scalar>, y: Tensor3<Scalar>, mask: Tensor3<Scalar>, noise: inout NumpyRandom) throws -> Double {
    try lossAndGradients(x: x, y: y, mask: mask, noise: &noise).total
  }

  /// The same, reusing `ws`'s buffers; x, y and mask may be of any scalar type (batches are Double).
  @_specialize(where Scalar == Float, T == Double)
  func lossAndGradients<T: LinearScalar>(
    x: Tensor3<T>, y: Tensor3<T>, mask: Tensor3<T>, workspace ws: Workspace<Scalar>, noise: inout NumpyRandom
  ) throws -> LossAndGradients<BasicVariables<Scalar>> {
    try checkInputs(x)
    let expected = [x.d0, x.d1, configuration.nOut]
    guard y.shape == expected else { throw ConfigurationError.shapeMismatch(key: "y", expected: expected, got: y.shape) }
    guard mask.shape == expected else { throw ConfigurationError.shapeMismatch(key: "mask", expected: expected, got: mask.shape) }
    prepare(ws, batch: x.d0, steps: x.d1)
    ws.load(x: x)
    ws.load(targets: y, mask: mask)
    let eff = effectiveWeights
    runForward(ws, weights: eff, noise: &noise, withNoise: true)
    return backward(ws, weights: eff)
  }

  /// The backward pass over the run in `ws` (its targets and mask loaded).
  @_specialize(where Scalar == Float)
  func backward(_ ws: Workspace<Scalar>, weights w: EffectiveWeights<Scalar>) -> LossAndGradients<BasicVariables<Scalar>> {
    let (B, S) = (ws.batch, ws.steps)
    let N = configuration.nRec, nIn = configuration.nIn, nOut = configuration.nOut
    let alpha = Scalar(configuration.alpha), decay = 1 - alpha
    let block = B * N, rows = S * B
    let phi = configuration.transferFunction
    let reg = configuration.regularization
    var dEff = EffectiveWeights<Scalar>(
      W_in: Matrix(rows: N, cols: nIn), W_rec: Matrix(rows: N, cols: N), W_out: Matrix(rows: nOut, cols: N))
    var grads = variables.zeros
    var regularization = reg.weightPenalties(w, gradients: &dEff)
    guard rows > 0 else {
      return finish(loss: 0, regularization: regularization, dEff: dEff, grads: grads, ws: ws)
    }

    // Loss and its gradient with respect to the outputs.
    let loss = ws.outputs.withUnsafeBufferPointer { z in
      ws.targets.withUnsafeBufferPointer { y in
        ws.mask.withUnsafeBufferPointer { m in
          ws.dz.withUnsafeMutableBufferPointer { d in
            configuration.lossFunction.evaluate(
              outputs: z.baseAddress!, targets: y.baseAddress!, mask: m.baseAddress!, count: rows * nOut,
              gradient: d.baseAddress!)
          }
        }
      }
    }

    ws.rates.withUnsafeBufferPointer { rBuf in
    ws.states.withUnsafeBufferPointer { sBuf in
    ws.inputs.withUnsafeBufferPointer { uBuf in
    ws.dz.withUnsafeBufferPointer { dzBuf in
    ws.ones.withUnsafeBufferPointer { onesBuf in
    ws.h.withUnsafeMutableBufferPointer { hBuf in
    ws.alphaG.withUnsafeMutableBufferPointer { aGBuf in
    ws.g.withUnsafeMutableBufferPointer { gBuf in
    w.W_rec.storage.withUnsafeBufferPointer { wRecBuf in
    w.W_out.storage.withUnsafeBufferPointer { wOutBuf in
    dEff.W_rec.storage.withUnsafeMutableBufferPointer { dWrBuf in
    dEff.W_in.storage.withUnsafeMutableBufferPointer { dWiBuf in
    dEff.W_out.storage.withUnsafeMutableBufferPointer { dWoBuf in
    grads.b_rec.storage.withUnsafeMutableBufferPointer { dbRecBuf in
    grads.b_out.storage.withUnsafeMutableBufferPointer { dbOutBuf in
    grads.init_state.storage.withUnsafeMutableBufferPointer { dInitBuf in
      let r = rBuf.baseAddress!, s = sBuf.baseAddress!, u = uBuf.baseAddress!, dz = dzBuf.baseAddress!
      let ones = onesBuf.baseAddress!, h = hBuf.baseAddress!, ag = aGBuf.baseAddress!, g = gBuf.baseAddress!
      let wRec = wRecBuf.baseAddress!, wOut = wOutBuf.baseAddress!
      let dWr = dWrBuf.baseAddress!, dWi = dWiBuf.baseAddress!, dWo = dWoBuf.baseAddress!
      let dbRec = dbRecBuf.baseAddress!

      // db_out = Σ dz, over every step at once.
      ws.addColumnSums(of: dz, rows: rows, cols: nOut, into: dbOutBuf.baseAddress!)

      // Step k's weight gradients, once α·g_k exists. They do not feed the recursion, so with a
      // pipeline they run on the other core while the recursion goes on (StepPipeline.swift);
      // either way they run for k = S … 1 in order, so the sums are the same to the bit.
      //   dW_rec_eff += (α·g_k)ᵀ·r_{k−1}   dW_in_eff += (α·g_k)ᵀ·u_k   db_rec += Σ_b α·g_k
      //   dW_out_eff += dz_kᵀ·r_k
      let stepGradients: (Int) -> Void = { k in
        let agk = ag + (k - 1) * block
        Scalar.gemm(transA: true, transB: false, m: N, n: N, k: B, alpha: 1,
                    a: agk, lda: N, b: r + (k - 1) * block, ldb: N, beta: 1, c: dWr, ldc: N)
        Scalar.gemm(transA: true, transB: false, m: N, n: nIn, k: B, alpha: 1,
                    a: agk, lda: N, b: u + (k - 1) * B * nIn, ldb: nIn, beta: 1, c: dWi, ldc: nIn)
        Scalar.gemv(transA: true, m: B, n: N, alpha: 1, a: agk, lda: N, x: ones, beta: 1, y: dbRec)
        Scalar.gemm(transA: true, transB: false, m: nOut, n: N, k: B, alpha: 1,
                    a: dz + (k - 1) * B * nOut, lda: nOut, b: r + k * block, ldb: N, beta: 1, c: dWo, ldc: N)
      }
      let pipeline = ws.pipeline
      pipeline?.begin(steps: S, work: stepGradients)

      // Back through time, k = S … 1, with the running g (g_{k+1}, then g_k) in one block.
      g.update(repeating: 0, count: block)
      for k in stride(from: S, through: 1, by: -1) {
        // h_k = dz_k·W_out_eff (+ the firing-rate term) + (α·g_{k+1})·W_rec_eff
        Scalar.gemm(transA: false, transB: false, m: B, n: N, k: nOut, alpha: 1,
                    a: dz + (k - 1) * B * nOut, lda: nOut, b: wOut, ldb: N, beta: 0, c: h, ldc: N)
        regularization += reg.firingRatePenalty(rates: r + k * block, count: block, gradient: h, mean: rows * N)
        if k < S {
          Scalar.gemm(transA: false, transB: false, m: B, n: N, k: N, alpha: 1,
                      a: ag + k * block, lda: N, b: wRec, ldb: N, beta: 1, c: h, ldc: N)
        }
        // g_k = h_k ⊙ φ′(s_k) + (1 − α)·g_{k+1}; store α·g_k.
        phi.backpropagateStep(h: h, states: s + k * block, rates: r + k * block, g: g,
                              alphaG: ag + (k - 1) * block, decay: decay, alpha: alpha, count: block)
        if let pipeline { pipeline.publish(k) } else { stepGradients(k) }
      }
      // Step 0: g_0 = ((α·g_1)·W_rec_eff) ⊙ φ′(s_0) + (1 − α)·g_1; d init_state = Σ_b g_0.
      Scalar.gemm(transA: false, transB: false, m: B, n: N, k: N, alpha: 1,
                  a: ag, lda: N, b: wRec, ldb: N, beta: 0, c: h, ldc: N)
      phi.multiplyByDerivative(h, states: s, rates: r, count: block)
      for i in 0..<block { h[i] += decay * g[i] }
      ws.addColumnSums(of: h, rows: B, cols: N, into: dInitBuf.baseAddress!)
      pipeline?.finish()
    }}}}}}}}}}}}}}}}
    return finish(loss: loss, regularization: regularization, dEff: dEff, grads: grads, ws: ws)
  }

  /// Chain rule from effective to raw weights, and packaging.
  private func finish(loss: Double, regularization: Double, dEff: EffectiveWeights<Scalar>,
                      grads: BasicVariables<Scalar>, ws: Workspace<Scalar>) -> LossAndGradients<BasicVariables<Scalar>> {
    var grads = grads
    let c = constraints
    grads.W_in = c.backpropagate(dEff.W_in, raw: variables.W_in, mask: c.inputConnectivity, dale: nil)
    grads.W_rec = c.backpropagate(dEff.W_rec, raw: variables.W_rec, mask: c.recConnectivity, dale: c.daleRec)
    grads.W_out = c.backpropagate(dEff.W_out, raw: variables.W_out, mask: c.outputConnectivity, dale: c.daleOut)
    return LossAndGradients(loss: loss, regularization: regularization, gradients: grads, outputs: outputs(of: ws))
  }
}
