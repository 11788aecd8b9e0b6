// The Basic CTRNN's forward pass (spec §4.1) and its exact gradient by backpropagation through
// time, side by side. Time-major, so that every step is one BLAS product (B = trials, S = steps,
// N = N_rec; the buffers are in BasicWorkspace.swift).
//
//   forward
//   s_0 = init_state (one row, tiled to B trials)
//   s_k = (1 − α)·s_{k−1} + α·(φ(s_{k−1})·W_rec_effᵀ + u_k·W_in_effᵀ + b_rec) + sqrt(2α·σ²)·ξ_k
//   z_k = φ(s_k)·W_out_effᵀ + b_out                               k = 1 … S
//
//   backward, with r_k = φ(s_k), g_k = dL/ds_k and h_k = dL/dr_k
//   h_k = dR_k + (α·g_{k+1})·W_rec_eff          (dR_k: from the readout and the firing-rate term)
//   g_k = h_k ⊙ φ′(s_k) + (1 − α)·g_{k+1}        k = S … 0   (g_{S+1} = 0)
//   dW_rec_eff = Σ_k (α·g_k)ᵀ·r_{k−1}   dW_in_eff = Σ_k (α·g_k)ᵀ·u_k   db_rec = Σ_k α·g_k
//   dW_out_eff = Σ_k dz_kᵀ·r_k           db_out = Σ_k dz_k             d init_state = Σ_b g_0[b]
//
// The workspace's wide rows make each step few products. Rates block k is [r_k | u_{k+1} | 1], so a
// forward step (recurrent drive, input drive and b_rec) is ONE product with [W_recᵀ; W_inᵀ; b_rec],
// and the readout one more. Adjoint block k is [α·g_{k+1} | dz_k], so a backward step is two
// products: h_k = block k·[W_rec; W_out], and (block k−1)ᵀ·(rates block k−1) added into one
// (N + N_out) × (N + N_in + 1) sum that holds dW_rec, dW_in and db_rec in its first N rows and
// dW_out and db_out in the last N_out. That second product does not feed the recursion, so training
// runs it on the other core (StepPipeline.swift). Then the chain rule through masks, abs() and
// Dale's signs (Constraints.swift).

import Linear

extension Basic {
  /// Runs trials x (B, S, N_in) without recurrent noise. Any B and S work.
  @_specialize(exported:true,where Scalar == Float)
  public func forward(_ x: Tensor3<Scalar>) throws -> ForwardResult<Scalar> {
    var unused = NumpyRandom(seed: 0)
    return try run(x, noise: &unused, withNoise: false)
  }

  /// Runs trials x (B, S, N_in), drawing recurrent noise from `noise` when `rec_noise` > 0
  /// (as PsychRNN's `test(x)` does on every run).
  @_specialize(exported:true,where Scalar == Float)
  public func forward(_ x: Tensor3<Scalar>, noise: inout NumpyRandom) throws -> ForwardResult<Scalar> {
    try run(x, noise: &noise, withNoise: true)
  }

  private func run(_ x: Tensor3<Scalar>, noise: inout NumpyRandom, withNoise: Bool) throws -> ForwardResult<Scalar> {
    let ws = BasicWorkspace<Scalar>()
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
  func load<T: LinearScalar>(_ x: Tensor3<T>, into ws: BasicWorkspace<Scalar>, keepingStates: Bool) throws {
    try checkInputs(x)
    let c = configuration
    ws.prepare(batch: x.d0, steps: x.d1, nIn: c.nIn, nRec: c.nRec, nOut: c.nOut, keepingStates: keepingStates)
    ws.load(x: x)
  }

  /// The outputs of the last run in `ws`, (B, S, N_out).
  func outputs(of ws: BasicWorkspace<Scalar>) -> Tensor3<Scalar> {
    Tensor3(ws.steps, ws.batch, configuration.nOut, storage: ws.outputs.array).swappingFirstAxes()
  }

  /// The states s_1 … s_S of the last run in `ws`, (B, S, N).
  func states(of ws: BasicWorkspace<Scalar>) -> Tensor3<Scalar> {
    precondition(ws.keepsStates, "the workspace kept only the last two states")
    let block = ws.batch * configuration.nRec
    let s = Array(UnsafeBufferPointer(start: ws.states.pointer + block, count: ws.steps * block))
    return Tensor3(ws.steps, ws.batch, configuration.nRec, storage: s).swappingFirstAxes()
  }

  /// The forward pass proper, on the inputs loaded into `ws`.
  @_specialize(where Scalar == Float)
  func runForward(_ ws: BasicWorkspace<Scalar>, weights w: EffectiveWeights<Scalar>, noise: inout NumpyRandom, withNoise: Bool) {
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
      Scalar.gemm(
        transA: false, transB: false, m: B, n: N, k: W, alpha: alpha,
        a: r + (k - 1) * rateBlock, lda: W, b: fw, ldb: N, beta: 0, c: cur, ldc: N)
      if noisy { for i in 0..<block { cur[i] += Scalar(sigma * noise.normal()) } }
      phi.leakAndApply(cur, previous: prev, decay: decay, rates: rk, rateStride: W, rows: B, cols: N)
      ws.fillInputColumns(block: k)  // [u_{k+1} | 1] beside r_k, while in cache
      // z_k = r_k·W_out_effᵀ + b_out (the input columns meet zero rows).
      Scalar.gemm(
        transA: false, transB: false, m: B, n: nOut, k: W, alpha: 1,
        a: rk, lda: W, b: ro, ldb: nOut, beta: 0, c: z + (k - 1) * B * nOut, ldc: nOut)
    }
  }

  /// The forward products' weights for this batch: [W_recᵀ; W_inᵀ; b_rec] and [W_outᵀ; 0; b_out].
  private func fillForwardWeights(_ ws: BasicWorkspace<Scalar>, _ w: EffectiveWeights<Scalar>) {
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

// MARK: - Backward

extension Basic {
  /// Loss + regularization of trials x against targets y under mask (all (B, S, ·)) and its
  /// gradient with respect to every raw variable. Recurrent noise is drawn from `noise` when
  /// `rec_noise` > 0.
  @_specialize(exported:true,where Scalar == Float)
  public func lossAndGradients(
    x: Tensor3<Scalar>, y: Tensor3<Scalar>, mask: Tensor3<Scalar>, noise: inout NumpyRandom
  ) throws -> LossAndGradients<BasicVariables<Scalar>> {
    try lossAndGradients(x: x, y: y, mask: mask, workspace: BasicWorkspace(), noise: &noise)
  }

  /// Loss + regularization only, by a forward pass (no gradient), e.g. for logging.
  @_specialize(exported:true,where Scalar == Float)
  public func loss(x: Tensor3<Scalar>, y: Tensor3<Scalar>, mask: Tensor3<Scalar>, noise: inout NumpyRandom) throws -> Double {
    try loss(x: x, y: y, mask: mask, workspace: BasicWorkspace(), noise: &noise).total
  }

  /// Loss + regularization and the outputs by a forward pass alone, in `ws`'s buffers: what training
  /// records every loss_epoch batches. The same sums in the same order as `backward`, so the same
  /// numbers as `lossAndGradients(…).total`, and the same noise draws.
  @_specialize(where Scalar == Float, T == Double)
  func loss<T: LinearScalar>(
    x: Tensor3<T>, y: Tensor3<T>, mask: Tensor3<T>, workspace ws: BasicWorkspace<Scalar>, noise: inout NumpyRandom
  ) throws -> (total: Double, outputs: Tensor3<Scalar>) {
    let eff = try runForward(x: x, y: y, mask: mask, in: ws, noise: &noise)
    let reg = configuration.regularization
    var regularization = reg.weightPenaltiesValue(eff)
    let (B, S, N, nOut) = (ws.batch, ws.steps, configuration.nRec, configuration.nOut)
    guard S * B > 0 else { return (regularization, outputs(of: ws)) }
    let loss = try configuration.lossFunction.evaluate(
      outputs: ws.outputs.pointer, targets: ws.targets.pointer, mask: ws.mask.pointer, count: S * B * nOut,
      steps: S, batch: B, gradient: ws.dz.pointer, needsGradient: false)
    if let custom = reg.custom {
      regularization += try custom.evaluate(regularizationInputs(ws, weights: eff), false).value
    }
    if reg.L2_firing_rate != 0 {
      let W = ws.rateWidth, r = ws.rates.pointer
      for k in stride(from: S, through: 1, by: -1) {
        for b in 0..<B {
          regularization += reg.firingRatePenaltyValue(rates: r + k * B * W + b * W, count: N, mean: S * B * N)
        }
      }
    }
    return (loss + regularization, outputs(of: ws))
  }

  /// The same, reusing `ws`'s buffers; x, y and mask may be of any scalar type (batches are Double).
  @_specialize(where Scalar == Float, T == Double)
  func lossAndGradients<T: LinearScalar>(
    x: Tensor3<T>, y: Tensor3<T>, mask: Tensor3<T>, workspace ws: BasicWorkspace<Scalar>, noise: inout NumpyRandom
  ) throws -> LossAndGradients<BasicVariables<Scalar>> {
    let eff = try runForward(x: x, y: y, mask: mask, in: ws, noise: &noise)
    return try backward(ws, weights: eff)
  }

  /// Checks a batch, loads it with its targets into `ws` (two blocks of states kept, or all of
  /// them for a custom regularizer) and runs the forward pass with recurrent noise; returns the
  /// effective weights it ran with.
  @_specialize(where Scalar == Float, T == Double)
  func runForward<T: LinearScalar>(
    x: Tensor3<T>, y: Tensor3<T>, mask: Tensor3<T>, in ws: BasicWorkspace<Scalar>, noise: inout NumpyRandom
  ) throws -> EffectiveWeights<Scalar> {
    try load(x, into: ws, keepingStates: configuration.regularization.custom != nil)
    try configuration.checkTargets(y: y, mask: mask, for: x)
    ws.load(targets: y, mask: mask)
    let eff = effectiveWeights
    runForward(ws, weights: eff, noise: &noise, withNoise: true)
    return eff
  }

  /// The backward pass over the run in `ws` (its targets and mask loaded).
  @_specialize(where Scalar == Float)
  func backward(
    _ ws: BasicWorkspace<Scalar>, weights w: EffectiveWeights<Scalar>
  ) throws -> LossAndGradients<BasicVariables<Scalar>> {
    let (B, S) = (ws.batch, ws.steps)
    let N = configuration.nRec, nIn = configuration.nIn, nOut = configuration.nOut
    let alpha = Scalar(configuration.alpha), decay = 1 - alpha
    let block = B * N, rows = S * B
    let W = ws.rateWidth, A = ws.adjointWidth, rateBlock = B * W, adjointBlock = B * A
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
    let loss = try configuration.lossFunction.evaluate(
      outputs: ws.outputs.pointer, targets: ws.targets.pointer, mask: ws.mask.pointer, count: rows * nOut,
      steps: S, batch: B, gradient: ws.dz.pointer)
    // A custom regularizer: its value, its weight gradients beside L1/L2's, and dR/ds_k
    // (time-major, added into g_k below).
    var custom: RegularizationGradients? = nil
    var stateGradient: [Scalar] = []
    if let c = reg.custom {
      let inputs = regularizationInputs(ws, weights: w)
      let (value, gradients) = try c.evaluate(inputs, true)
      guard let gradients, gradients.matches(inputs) else {
        throw TrainingError.customFunction(name: c.name, problem: "gave no gradient of its inputs' shapes")
      }
      regularization += value
      dEff.W_in.add(gradients.W_in)
      dEff.W_rec.add(gradients.W_rec)
      dEff.W_out.add(gradients.W_out)
      stateGradient = [Scalar](repeating: 0, count: S * block)
      for b in 0..<B {
        for k in 0..<S {
          for i in 0..<N { stateGradient[k * block + b * N + i] = Scalar(gradients.states[(b * S + k) * N + i]) }
        }
      }
      custom = gradients
    }
    fillBackwardWeights(ws, w)
    let r = ws.rates.pointer, dz = ws.dz.pointer, h = ws.h.pointer, g = ws.g.pointer
    let adj = ws.adjoints.pointer, bw = ws.backwardWeights.pointer, sums = ws.gradientSums.pointer

    // Adjoint block k's last columns hold dz_k (dz_0 = 0), written just before the block is
    // used (the rows are then in cache); block S is [0 | dz_S] (g_{S+1} = 0).
    func placeOutputGradient(step k: Int) {
      for b in 0..<B {
        let to = adj + k * adjointBlock + b * A + N
        if k == 0 {
          for o in 0..<nOut { to[o] = 0 }
        } else {
          let from = dz + ((k - 1) * B + b) * nOut
          for o in 0..<nOut { to[o] = from[o] }
        }
      }
    }
    for b in 0..<B { (adj + S * adjointBlock + b * A).update(repeating: 0, count: N) }
    placeOutputGradient(step: S)
    sums.update(repeating: 0, count: A * W)

    // Block j − 1's share of every weight gradient, once α·g_j is in it (j = S+1 … 1; block S
    // holds only dz_S, so it is ready at once). Run in this order, inline or on the other
    // core, so the sums are the same to the bit either way.
    let addBlock: (Int) -> Void = { j in
      Scalar.gemm(
        transA: true, transB: false, m: A, n: W, k: B, alpha: 1,
        a: adj + (j - 1) * adjointBlock, lda: A, b: r + (j - 1) * rateBlock, ldb: W,
        beta: 1, c: sums, ldc: W)
    }
    let pipeline = ws.pipeline
    pipeline?.begin(steps: S + 1, work: addBlock)
    if let pipeline { pipeline.publish(S + 1) } else { addBlock(S + 1) }

    // Back through time, k = S … 1, with the running g (g_{k+1}, then g_k) in one block.
    g.update(repeating: 0, count: block)
    for k in stride(from: S, through: 1, by: -1) {
      let rk = r + k * rateBlock
      // h_k = [α·g_{k+1} | dz_k]·[W_rec_eff; W_out_eff] (+ the firing-rate term)
      Scalar.gemm(
        transA: false, transB: false, m: B, n: N, k: A, alpha: 1,
        a: adj + k * adjointBlock, lda: A, b: bw, ldb: N, beta: 0, c: h, ldc: N)
      if reg.L2_firing_rate != 0 {
        for b in 0..<B {
          regularization += reg.firingRatePenalty(rates: rk + b * W, count: N, gradient: h + b * N, mean: rows * N)
        }
      }
      // g_k = h_k ⊙ φ′(s_k) + (1 − α)·g_{k+1}; α·g_k into adjoint block k − 1, beside dz_{k−1}.
      placeOutputGradient(step: k - 1)
      phi.backpropagateStep(
        h: h, rates: rk, rateStride: W, g: g,
        alphaG: adj + (k - 1) * adjointBlock, alphaGStride: A, decay: decay, alpha: alpha,
        rows: B, cols: N)
      if custom != nil {
        // g_k += dR/ds_k, and α·g_k beside it again.
        let to = adj + (k - 1) * adjointBlock
        stateGradient.withUnsafeBufferPointer { d in
          let dk = d.baseAddress! + (k - 1) * block
          for b in 0..<B {
            for i in 0..<N {
              g[b * N + i] += dk[b * N + i]
              to[b * A + i] = alpha * g[b * N + i]
            }
          }
        }
      }
      if let pipeline { pipeline.publish(k) } else { addBlock(k) }
    }
    // Step 0: g_0 = ((α·g_1)·W_rec_eff) ⊙ φ′(s_0) + (1 − α)·g_1; d init_state = Σ_b g_0.
    Scalar.gemm(
      transA: false, transB: false, m: B, n: N, k: N, alpha: 1,
      a: adj, lda: A, b: bw, ldb: N, beta: 0, c: h, ldc: N)
    for b in 0..<B { phi.multiplyByDerivative(h + b * N, rates: r + b * W, count: N) }
    for i in 0..<block { h[i] += decay * g[i] }
    grads.init_state.storage.withUnsafeMutableBufferPointer {
      ws.ones.addColumnSums(of: h, rows: B, cols: N, into: $0.baseAddress!)
    }
    pipeline?.finish()

    // Unpack the sums: rows [dW_rec | dW_in | db_rec] then [dW_out | · | db_out].
    for i in 0..<N {
      for j in 0..<N { dEff.W_rec[i, j] += sums[i * W + j] }
      for c in 0..<nIn { dEff.W_in[i, c] += sums[i * W + N + c] }
      grads.b_rec.storage[i] = sums[i * W + N + nIn]
    }
    for o in 0..<nOut {
      for j in 0..<N { dEff.W_out[o, j] += sums[(N + o) * W + j] }
      grads.b_out.storage[o] = sums[(N + o) * W + N + nIn]
    }
    if let custom {
      for i in 0..<N { grads.b_rec.storage[i] += Scalar(custom.b_rec[i]) }
      for o in 0..<nOut { grads.b_out.storage[o] += Scalar(custom.b_out[o]) }
      for i in 0..<N { grads.init_state.storage[i] += Scalar(custom.init_state[i]) }
    }
    return finish(loss: loss, regularization: regularization, dEff: dEff, grads: grads, ws: ws)
  }

  /// What a custom regularizer reads of the run in `ws` (every state kept): the effective weights,
  /// biases and initial state, and s_1 … s_S batch-major, (B, S, N), in Double.
  func regularizationInputs(_ ws: BasicWorkspace<Scalar>, weights w: EffectiveWeights<Scalar>) -> RegularizationInputs {
    let (B, S, N) = (ws.batch, ws.steps, configuration.nRec)
    precondition(ws.keepsStates, "a custom regularizer needs every state")
    let s = ws.states.pointer
    var states = [Double](repeating: 0, count: B * S * N)
    for k in 1...max(1, S) where S > 0 {
      for b in 0..<B {
        let from = s + k * B * N + b * N, to = (b * S + k - 1) * N
        for i in 0..<N { states[to + i] = from[i].doubleValue }
      }
    }
    return RegularizationInputs(
      W_in: w.W_in.converted(), W_rec: w.W_rec.converted(), W_out: w.W_out.converted(),
      b_rec: variables.b_rec.storage.map(\.doubleValue), b_out: variables.b_out.storage.map(\.doubleValue),
      init_state: variables.init_state.storage.map(\.doubleValue), states: states, statesShape: [B, S, N])
  }

  /// [W_rec_eff; W_out_eff], the weights of h_k's product.
  private func fillBackwardWeights(_ ws: BasicWorkspace<Scalar>, _ w: EffectiveWeights<Scalar>) {
    let N = configuration.nRec, nOut = configuration.nOut
    let bw = ws.backwardWeights.pointer
    w.W_rec.storage.withUnsafeBufferPointer { bw.update(from: $0.baseAddress!, count: N * N) }
    w.W_out.storage.withUnsafeBufferPointer { (bw + N * N).update(from: $0.baseAddress!, count: nOut * N) }
  }

  /// Chain rule from effective to raw weights, and packaging.
  private func finish(
    loss: Double, regularization: Double, dEff: EffectiveWeights<Scalar>,
    grads: BasicVariables<Scalar>, ws: BasicWorkspace<Scalar>
  ) -> LossAndGradients<BasicVariables<Scalar>> {
    var grads = grads
    let c = constraints
    grads.W_in = c.backpropagate(dEff.W_in, raw: variables.W_in, mask: c.inputConnectivity, dale: nil)
    grads.W_rec = c.backpropagate(dEff.W_rec, raw: variables.W_rec, mask: c.recConnectivity, dale: c.daleRec)
    grads.W_out = c.backpropagate(dEff.W_out, raw: variables.W_out, mask: c.outputConnectivity, dale: c.daleOut)
    return LossAndGradients(loss: loss, regularization: regularization, gradients: grads, outputs: outputs(of: ws))
  }
}
