// The LSTM's forward pass and its exact gradient by backpropagation through time, side by side.
// Time-major, so that every step is one product for all four gates, and the readout is one
// product over all steps.
//
// B = trials (= N_batch), S = steps, N = N_rec, G = 4N. PsychRNN's gates act on q = [h, u]; we
// append a 1, q = [h, u, 1], and stack the four gates and their biases into W̃ ((N + N_in + 1) × G):
// W_h (its first N rows) acts on h, W_ub (the rest: W_u, then the row [b_f | b_i | b_c | b_o]) on
// [u, 1]. The workspace keeps q itself: rows [h_{k−1} | u_k | 1] (LSTMWorkspace.swift). A_k (B × G)
// are step k's gate pre-activations; the elementwise cell is in LSTMCell.swift.
//
//   forward                                   backward (dA_k = dL/dA_k, dc = dL/dc)
//   A_k  = q_k·W̃              1 product a step  dH_k = dz_k·W_out + firing-rate term   all k, 1 product
//   (c_k, h_k) = cell(A_k, c_{k−1})            dh_k = dH_k + dA_{k+1}·W_hᵀ          1 product a step
//   z_k  = h_k·W_outᵀ + b_out all k, 1 product (dA_k, dc) = cell′(dh_k, dc)
//                                              dW̃ += q_kᵀ·dA_k                    1 product a step,
//                                                                    on the second core when training
//                                              d init_hidden = dA_1·W_hᵀ   d init_cell = dc after step 1
//                                              dW_out = Σ dz_kᵀ·h_k   db_out = Σ dz_k
//
// (dW̃ as one product over all S·B rows at the end measured 2× slower than 200 per-step products:
// OpenBLAS copies both tall operands first.)
//
// with h_0 = init_hidden and c_0 = init_cell, one row per trial, and W_out used RAW (PsychRNN's LSTM
// applies neither masks nor Dale's law). The regularizers act on W_in, W_rec and W_out, which for an
// LSTM equal their effective versions, and on φ(h) for the firing-rate term.

import Linear

extension LSTM {
  /// Runs trials x (N_batch, S, N_in): outputs z_1 … z_S and states h_1 … h_S, (B, S, ·).
  @_specialize(exported:true,where Scalar == Float)
  public func forward(_ x: Tensor3<Scalar>) throws -> ForwardResult<Scalar> {
    try checkInputs(x)
    let ws = LSTMWorkspace<Scalar>()
    prepare(ws, batch: x.d0, steps: x.d1, training: false)
    ws.load(x: x)
    runForward(ws, keepingEveryStep: false)
    return ForwardResult(outputs: outputs(of: ws), states: states(of: ws))
  }

  /// Outputs z_1 … z_S of trials x (N_batch, S, N_in), reusing `ws` (the trainer's checks).
  @_specialize(where Scalar == Float)
  func outputs(of x: Tensor3<Double>, workspace ws: LSTMWorkspace<Scalar>) throws -> Tensor3<Double> {
    try checkInputs(x)
    prepare(ws, batch: x.d0, steps: x.d1, training: false)
    ws.load(x: x)
    runForward(ws, keepingEveryStep: false)
    return outputs(of: ws).converted()
  }

  /// The same: the LSTM has no recurrent noise, so `noise` is not used.
  @_specialize(exported:true,where Scalar == Float)
  public func forward(_ x: Tensor3<Scalar>, noise: inout NumpyRandom) throws -> ForwardResult<Scalar> {
    try forward(x)
  }

  /// Loss + regularization of trials x against targets y under mask (all (N_batch, S, ·)) and its
  /// gradient with respect to every raw variable (zero for init_state and b_rec, which do not act).
  @_specialize(exported:true,where Scalar == Float)
  public func lossAndGradients(
    x: Tensor3<Scalar>, y: Tensor3<Scalar>, mask: Tensor3<Scalar>
  ) throws
    -> LossAndGradients<LSTMVariables<Scalar>>
  {
    try lossAndGradients(x: x, y: y, mask: mask, workspace: LSTMWorkspace())
  }

  /// Loss + regularization only, by a forward pass (no gradient), e.g. for logging.
  @_specialize(exported:true,where Scalar == Float)
  public func loss(x: Tensor3<Scalar>, y: Tensor3<Scalar>, mask: Tensor3<Scalar>) throws -> Double {
    try loss(x: x, y: y, mask: mask, workspace: LSTMWorkspace()).total
  }

  /// Loss + regularization and the outputs by a forward pass alone, in `ws`'s buffers: what training
  /// records every loss_epoch batches. The same sums in the same order as `backward`.
  @_specialize(where Scalar == Float, T == Double)
  func loss<T: LinearScalar>(
    x: Tensor3<T>, y: Tensor3<T>, mask: Tensor3<T>, workspace ws: LSTMWorkspace<Scalar>
  ) throws -> (total: Double, outputs: Tensor3<Scalar>) {
    try runForward(x: x, y: y, mask: mask, in: ws)
    let reg = configuration.regularization, base = variables.base
    var regularization = reg.weightPenaltiesValue(EffectiveWeights(W_in: base.W_in, W_rec: base.W_rec, W_out: base.W_out))
    let N = configuration.nRec, nOut = configuration.nOut, rows = ws.steps * ws.batch
    guard rows > 0 else { return (regularization, outputs(of: ws)) }
    let loss = try configuration.lossFunction.evaluate(
      outputs: ws.outputs.pointer, targets: ws.targets.pointer, mask: ws.mask.pointer, count: rows * nOut,
      steps: ws.steps, batch: ws.batch, gradient: ws.dz.pointer, needsGradient: false)
    if reg.L2_firing_rate != 0 {
      let phi = configuration.transferFunction, Q = ws.hiddenWidth
      let h = ws.hidden.pointer + ws.batch * Q, r = ws.rates.pointer
      for row in 0..<rows { phi.apply(h + row * Q, r + row * N, count: N) }
      regularization += reg.firingRatePenaltyValue(rates: r, count: rows * N)
    }
    return (loss + regularization, outputs(of: ws))
  }

  /// The same, reusing `ws`; x, y and mask may be of any scalar type (batches are Double).
  @_specialize(where Scalar == Float, T == Double)
  @_specialize(where Scalar == Float, T == Float)
  func lossAndGradients<T: LinearScalar>(
    x: Tensor3<T>, y: Tensor3<T>, mask: Tensor3<T>, workspace ws: LSTMWorkspace<Scalar>
  ) throws -> LossAndGradients<LSTMVariables<Scalar>> {
    try runForward(x: x, y: y, mask: mask, in: ws)
    return try backward(ws)
  }

  /// Checks a batch, loads it into `ws` and runs the forward pass, keeping every step (for the
  /// loss, its firing-rate term and the backward pass).
  @_specialize(where Scalar == Float, T == Double)
  @_specialize(where Scalar == Float, T == Float)
  func runForward<T: LinearScalar>(x: Tensor3<T>, y: Tensor3<T>, mask: Tensor3<T>, in ws: LSTMWorkspace<Scalar>) throws {
    try checkInputs(x)
    try configuration.checkTargets(y: y, mask: mask, for: x)
    prepare(ws, batch: x.d0, steps: x.d1, training: true)
    ws.load(x: x)
    ws.load(targets: y, mask: mask)
    runForward(ws, keepingEveryStep: true)
  }

  /// Checks that x is (N_batch, S, N_in) with finite values, and that the configuration (a public
  /// `var`) still fits the variables and the LSTM.
  func checkInputs<T: LinearScalar>(_ x: Tensor3<T>) throws {
    let c = configuration
    try checkVariablesFit()
    guard c.recNoise == 0 else {
      throw ConfigurationError.invalid(
        key: "rec_noise", message: "must be 0 for an LSTM: PsychRNN's LSTM has no recurrent noise, got \(c.recNoise)")
    }
    guard x.d2 == c.nIn else {
      throw ConfigurationError.shapeMismatch(key: "x", expected: [c.nBatch, x.d1, c.nIn], got: x.shape)
    }
    guard x.d0 == c.nBatch else {
      throw ConfigurationError.invalid(
        key: "N_batch",
        message:
          "is \(c.nBatch): an LSTM has one initial state per batch row (init_hidden, init_cell), so it runs batches of exactly \(c.nBatch) trials, got \(x.d0) (LSTMSimulator runs any number of trials)"
      )
    }
    guard x.isFinite else { throw ConfigurationError.invalid(key: "x", message: "contains NaN or infinite values") }
  }

  func prepare(_ ws: LSTMWorkspace<Scalar>, batch: Int, steps: Int, training: Bool) {
    let c = configuration
    ws.prepare(
      batch: batch, steps: steps, nIn: c.nIn, nRec: c.nRec, nOut: c.nOut, training: training,
      firingRate: c.regularization.L2_firing_rate != 0)
  }

  /// z_1 … z_S of the last run in `ws`, (B, S, N_out).
  func outputs(of ws: LSTMWorkspace<Scalar>) -> Tensor3<Scalar> {
    Tensor3(ws.steps, ws.batch, configuration.nOut, storage: ws.outputs.array).swappingFirstAxes()
  }

  /// h_1 … h_S of the last run in `ws`, (B, S, N).
  func states(of ws: LSTMWorkspace<Scalar>) -> Tensor3<Scalar> {
    let (S, B, N, W) = (ws.steps, ws.batch, configuration.nRec, ws.hiddenWidth)
    var h = [Scalar](repeating: 0, count: S * B * N)
    let h1 = ws.hidden.pointer + B * W
    for row in 0..<(S * B) { for j in 0..<N { h[row * N + j] = h1[row * W + j] } }
    return Tensor3(S, B, N, storage: h).swappingFirstAxes()
  }

  // MARK: - Forward

  /// The forward pass proper, on the inputs loaded into `ws`. Every step's gate values, c_k and
  /// σ(c_k) are kept when the backward pass will need them; otherwise their blocks are reused (the
  /// workspace was prepared accordingly). h_0 … h_S are always kept: they are the states.
  @_specialize(where Scalar == Float)
  func runForward(_ ws: LSTMWorkspace<Scalar>, keepingEveryStep keep: Bool) {
    let (B, S) = (ws.batch, ws.steps)
    let N = configuration.nRec, nOut = configuration.nOut
    let G = 4 * N, block = B * N, rows = S * B, Q = ws.hiddenWidth
    let A = ws.gates.pointer, h = ws.hidden.pointer, c = ws.cells.pointer, s = ws.squashedCells.pointer
    let W = ws.gateWeights.pointer

    ws.packGates(variables, nRec: N)
    variables.init_hidden.storage.withUnsafeBufferPointer { h0 in
      for b in 0..<B { (h + b * Q).update(from: h0.baseAddress! + b * N, count: N) }
    }
    variables.init_cell.storage.withUnsafeBufferPointer { c.update(from: $0.baseAddress!, count: block) }
    if S == 0 { return }

    // The time loop: A_k = [h_{k−1} | u_k | 1]·W̃ (gate biases included), then the cell.
    for k in 1...S {
      let Ak = A + (keep ? (k - 1) * B * G : 0)
      let cPrev = c + (keep ? k - 1 : (k - 1) % 2) * block, cNew = c + (keep ? k : k % 2) * block
      Scalar.gemm(
        transA: false, transB: false, m: B, n: G, k: Q, alpha: 1,
        a: h + (k - 1) * B * Q, lda: Q, b: W, ldb: G, beta: 0, c: Ak, ldc: G)
      LSTMCell.forward(
        gates: Ak, previousCell: cPrev, cell: cNew, squashedCell: s + (keep ? (k - 1) * block : 0),
        hidden: h + k * B * Q, hiddenStride: Q, batch: B, units: N)
    }

    // z = h_1…S · W_outᵀ + b_out for every step at once.
    let z = ws.outputs.pointer
    variables.base.W_out.storage.withUnsafeBufferPointer { wOut in
      Scalar.gemm(
        transA: false, transB: true, m: rows, n: nOut, k: N, alpha: 1,
        a: h + B * Q, lda: Q, b: wOut.baseAddress!, ldb: N, beta: 0, c: z, ldc: nOut)
    }
    let bOut = variables.base.b_out.storage
    for r in 0..<rows { for o in 0..<nOut { z[r * nOut + o] += bOut[o] } }
  }

  // MARK: - Backward

  /// The backward pass over the run in `ws` (its targets and mask loaded).
  @_specialize(where Scalar == Float)
  func backward(_ ws: LSTMWorkspace<Scalar>) throws -> LossAndGradients<LSTMVariables<Scalar>> {
    let N = configuration.nRec, nIn = configuration.nIn, nOut = configuration.nOut
    let rows = ws.steps * ws.batch
    var grads = variables.zeros

    // The weight regularizers, on W_in, W_rec, W_out (equal to their effective versions here).
    let base = variables.base
    var dBase = EffectiveWeights<Scalar>(
      W_in: Matrix(rows: N, cols: nIn), W_rec: Matrix(rows: N, cols: N), W_out: Matrix(rows: nOut, cols: N))
    var regularization = configuration.regularization.weightPenalties(
      EffectiveWeights(W_in: base.W_in, W_rec: base.W_rec, W_out: base.W_out), gradients: &dBase)
    guard rows > 0 else { return finish(0, regularization, dBase, grads, ws) }

    let loss = try configuration.lossFunction.evaluate(
      outputs: ws.outputs.pointer, targets: ws.targets.pointer, mask: ws.mask.pointer, count: rows * nOut,
      steps: ws.steps, batch: ws.batch, gradient: ws.dz.pointer)
    backpropagateReadout(ws, dW_out: &dBase.W_out, db_out: &grads.base.b_out)
    regularization += addFiringRateGradient(ws)
    backpropagateThroughTime(ws)
    gateGradients(ws, into: &grads)
    return finish(loss, regularization, dBase, grads, ws)
  }

  /// dW_out += dzᵀ·h_1…S, db_out = Σ dz, and dH = dz·W_out.
  private func backpropagateReadout(_ ws: LSTMWorkspace<Scalar>, dW_out: inout Matrix<Scalar>, db_out: inout Matrix<Scalar>) {
    let N = configuration.nRec, nOut = configuration.nOut, Q = ws.hiddenWidth
    let rows = ws.steps * ws.batch, h1 = ws.hidden.pointer + ws.batch * Q, dz = ws.dz.pointer
    dW_out.storage.withUnsafeMutableBufferPointer { dWo in
      Scalar.gemm(
        transA: true, transB: false, m: nOut, n: N, k: rows, alpha: 1,
        a: dz, lda: nOut, b: h1, ldb: Q, beta: 1, c: dWo.baseAddress!, ldc: N)
    }
    db_out.storage.withUnsafeMutableBufferPointer { db in
      ws.ones.addColumnSums(of: dz, rows: rows, cols: nOut, into: db.baseAddress!)
    }
    variables.base.W_out.storage.withUnsafeBufferPointer { wOut in
      Scalar.gemm(
        transA: false, transB: false, m: rows, n: N, k: nOut, alpha: 1,
        a: dz, lda: nOut, b: wOut.baseAddress!, ldb: N, beta: 0, c: ws.dHidden.pointer, ldc: N)
    }
  }

  /// k = S … 1: dh_k = dH_k + dA_{k+1}·W_hᵀ, then the cell backward, whose dA_k replaces step k's
  /// gate values in `gates`; `dCell` ends as dL/dc_0. Each dA_k then adds q_kᵀ·dA_k into dW̃: on
  /// the second core when the workspace has a pipeline, in the same order either way.
  private func backpropagateThroughTime(_ ws: LSTMWorkspace<Scalar>) {
    let (B, S, N) = (ws.batch, ws.steps, configuration.nRec)
    let G = 4 * N, block = B * N, Q = ws.hiddenWidth
    let A = ws.gates.pointer, c = ws.cells.pointer, s = ws.squashedCells.pointer, h = ws.hidden.pointer
    let dH = ws.dHidden.pointer, dc = ws.dCell.pointer, W = ws.gateWeights.pointer
    let dW = ws.gateWeightGradient.pointer
    dW.update(repeating: 0, count: Q * G)
    let addStep: (Int) -> Void = { k in
      Scalar.gemm(
        transA: true, transB: false, m: Q, n: G, k: B, alpha: 1,
        a: h + (k - 1) * B * Q, lda: Q, b: A + (k - 1) * B * G, ldb: G, beta: 1, c: dW, ldc: G)
    }
    let pipeline = ws.pipeline
    pipeline?.begin(steps: S, work: addStep)
    defer { pipeline?.finish() }
    dc.update(repeating: 0, count: block)
    for k in stride(from: S, through: 1, by: -1) {
      let dHk = dH + (k - 1) * block
      if k < S {
        Scalar.gemm(
          transA: false, transB: true, m: B, n: N, k: G, alpha: 1,
          a: A + k * B * G, lda: G, b: W, ldb: G, beta: 1, c: dHk, ldc: N)
      }
      LSTMCell.backward(
        gates: A + (k - 1) * B * G, previousCell: c + (k - 1) * block,
        squashedCell: s + (k - 1) * block, dHidden: dHk, dCell: dc, batch: B, units: N)
      if let pipeline { pipeline.publish(k) } else { addStep(k) }
    }
  }

  /// From dA_1 and dL/dc_0: d init_hidden = dA_1·W_hᵀ and d init_cell = dL/dc_0; then dW̃ (summed
  /// during the recursion) into the gate variables.
  private func gateGradients(_ ws: LSTMWorkspace<Scalar>, into grads: inout LSTMVariables<Scalar>) {
    let (B, N) = (ws.batch, configuration.nRec)
    let G = 4 * N
    let A = ws.gates.pointer, W = ws.gateWeights.pointer
    grads.init_hidden.storage.withUnsafeMutableBufferPointer { d0 in
      Scalar.gemm(
        transA: false, transB: true, m: B, n: N, k: G, alpha: 1,
        a: A, lda: G, b: W, ldb: G, beta: 0, c: d0.baseAddress!, ldc: N)
    }
    grads.init_cell = Matrix(rows: B, cols: N, storage: Array(UnsafeBufferPointer(start: ws.dCell.pointer, count: B * N)))
    ws.unpackGateGradients(into: &grads, nRec: N)
  }

  /// L2_firing_rate·mean(φ(h)²) over h_1 … h_S, adding its gradient 2c·φ(h)·φ′(h)/count into dH.
  private func addFiringRateGradient(_ ws: LSTMWorkspace<Scalar>) -> Double {
    let reg = configuration.regularization
    guard reg.L2_firing_rate != 0 else { return 0 }
    let phi = configuration.transferFunction
    let N = configuration.nRec, Q = ws.hiddenWidth, rows = ws.steps * ws.batch, count = rows * N
    let h = ws.hidden.pointer + ws.batch * Q
    let r = ws.rates.pointer, dR = ws.dRates.pointer, dH = ws.dHidden.pointer
    for row in 0..<rows { phi.apply(h + row * Q, r + row * N, count: N) }
    dR.update(repeating: 0, count: count)
    let value = reg.firingRatePenalty(rates: r, count: count, gradient: dR)
    for row in 0..<rows { phi.multiplyByDerivative(dR + row * N, rates: r + row * N, count: N) }
    for i in 0..<count { dH[i] += dR[i] }
    return value
  }

  /// Adds the base variables' gradients and packages the result.
  private func finish(
    _ loss: Double, _ regularization: Double, _ dBase: EffectiveWeights<Scalar>,
    _ grads: LSTMVariables<Scalar>, _ ws: LSTMWorkspace<Scalar>
  ) -> LossAndGradients<LSTMVariables<Scalar>> {
    var grads = grads
    grads.base.W_in = dBase.W_in
    grads.base.W_rec = dBase.W_rec
    grads.base.W_out = dBase.W_out
    return LossAndGradients(loss: loss, regularization: regularization, gradients: grads, outputs: outputs(of: ws))
  }
}
