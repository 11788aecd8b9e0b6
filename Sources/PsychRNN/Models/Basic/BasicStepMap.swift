// The Basic network's one-step update at a constant input u, on its effective weights (masks,
// Dale's signs and any cuts applied), as the fixed-point search needs it (Analysis/StepMap.swift):
//
//   F(x) = (1 − α)·x + α·(W_rec·φ(x) + W_in·u + b_rec)
//   dF/dx = (1 − α)·I + α·W_rec·diag(φ′(x))
//
// the noiseless form of BasicSimulator's step (α = dt/tau).

import Linear

/// Basic's x ↦ F(x, u) for one fixed input u.
public struct BasicStepMap: StepMap {
  /// Effective recurrent weights (N × N), cuts applied.
  public let recurrent: Matrix<Double>
  /// W_in·u + b_rec, the constant drive (N).
  public let drive: [Double]
  public let alpha: Double
  public let transferFunction: TransferFunction

  public var dimension: Int { recurrent.rows }

  /// The map of `weights` at input `u`, with `ablation`'s cuts (all of which must hold at every time).
  public init(
    weights: SimulatorWeights, alpha: Double, transferFunction: TransferFunction, input u: [Double],
    ablation: Ablation = Ablation()
  ) throws {
    guard u.count == weights.nIn else {
      throw ConfigurationError.shapeMismatch(key: "input", expected: [weights.nIn], got: [u.count])
    }
    guard u.allSatisfy(\.isFinite) else {
      throw ConfigurationError.invalid(key: "input", message: "must hold finite numbers")
    }
    try ablation.validate(nIn: weights.nIn, nRec: weights.nRec, nOut: weights.nOut)
    if let timed = ablation.cuts.first(where: { $0.start != nil || $0.end != nil }) {
      throw ConfigurationError.invalid(
        key: "ablate",
        message:
          "the cut \(timed) holds only during a time window, and a fixed point is timeless: restore, then cut without from:/to:")
    }
    let (cIn, cRec, _) = ablation.masks(at: 0, nIn: weights.nIn, nRec: weights.nRec, nOut: weights.nOut)
    let wIn = weights.W_in .* cIn
    recurrent = weights.W_rec .* cRec
    drive = (0..<weights.nRec).map { i in
      weights.b_rec[i] + (0..<weights.nIn).reduce(0.0) { $0 + wIn[i, $1] * u[$1] }
    }
    self.alpha = alpha
    self.transferFunction = transferFunction
  }

  public func step(_ x: [Double]) -> [Double] {
    let n = dimension
    let rates = x.map { transferFunction($0) }
    var out = drive
    recurrent.storage.withUnsafeBufferPointer { w in
      rates.withUnsafeBufferPointer { r in
        out.withUnsafeMutableBufferPointer { o in
          Double.gemv(
            transA: false, m: n, n: n, alpha: 1, a: w.baseAddress!, lda: n, x: r.baseAddress!, beta: 1, y: o.baseAddress!)
        }
      }
    }
    for i in 0..<n { out[i] = (1 - alpha) * x[i] + alpha * out[i] }
    return out
  }

  public func jacobian(_ x: [Double]) -> Matrix<Double> {
    let n = dimension
    let slopes = x.map { alpha * transferFunction.derivative($0) }
    var j = Matrix<Double>(rows: n, cols: n)
    for i in 0..<n {
      for k in 0..<n { j.storage[i * n + k] = recurrent.storage[i * n + k] * slopes[k] }
      j.storage[i * n + i] += 1 - alpha
    }
    return j
  }
}

extension Basic {
  /// The update at constant input `u` on the effective weights, with the cuts in force.
  public func stepMap(input u: [Double], ablation: Ablation) throws -> any StepMap {
    let s = try BasicSimulator(model: self)
    return try BasicStepMap(
      weights: s.weights, alpha: s.alpha, transferFunction: s.transferFunction, input: u, ablation: ablation)
  }
}
