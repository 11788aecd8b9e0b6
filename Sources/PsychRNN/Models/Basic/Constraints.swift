// Biological constraints and the effective weights they produce (spec §3), forward and backward
// side by side. Every forward pass, regularizer and saved file uses the effective weights:
//
//   no Dale:  W_in_eff = W_in ⊙ C_in      W_rec_eff = W_rec ⊙ C_rec          W_out_eff = W_out ⊙ C_out
//   Dale:     W_in_eff = |W_in ⊙ C_in|    W_rec_eff = |W_rec ⊙ C_rec| · D_rec  W_out_eff = |W_out ⊙ C_out| · D_out
//
// The raw variables keep their signs; only the effective matrices are constrained.

import Linear

/// Connectivity masks and Dale's matrices of a Basic model.
public struct Constraints<Scalar: LinearScalar>: Sendable {
  /// C_in (N_rec × N_in), C_rec (N_rec × N_rec), C_out (N_out × N_rec): 1 connected, 0 cut.
  public var inputConnectivity: Matrix<Scalar>
  public var recConnectivity: Matrix<Scalar>
  public var outputConnectivity: Matrix<Scalar>
  /// D_rec and D_out (N_rec × N_rec).
  public var daleRec: Matrix<Scalar>
  public var daleOut: Matrix<Scalar>
  /// The Dale ratio (nil: Dale's law off).
  public var daleRatio: Double?

  public init(
    inputConnectivity: Matrix<Scalar>, recConnectivity: Matrix<Scalar>, outputConnectivity: Matrix<Scalar>,
    daleRec: Matrix<Scalar>, daleOut: Matrix<Scalar>, daleRatio: Double?
  ) {
    self.inputConnectivity = inputConnectivity
    self.recConnectivity = recConnectivity
    self.outputConnectivity = outputConnectivity
    self.daleRec = daleRec
    self.daleOut = daleOut
    self.daleRatio = daleRatio
  }

  /// Dale's law is applied when a ratio is set and non-zero (PsychRNN's truthiness test).
  public var isDaleActive: Bool { (daleRatio ?? 0) != 0 }
}

/// The three effective matrices, as the dynamics use them.
public struct EffectiveWeights<Scalar: LinearScalar>: Sendable {
  public var W_in: Matrix<Scalar>
  public var W_rec: Matrix<Scalar>
  public var W_out: Matrix<Scalar>
}

extension Constraints {
  // MARK: - Forward: raw → effective

  /// W ⊙ C, then, under Dale, |·| and right-multiplication by `dale` (nil: no Dale matrix, W_in's case).
  @_specialize(where Scalar == Float)
  func effective(_ raw: Matrix<Scalar>, mask: Matrix<Scalar>, dale: Matrix<Scalar>?) -> Matrix<Scalar> {
    var w = raw .* mask
    guard isDaleActive else { return w }
    for i in w.storage.indices { w.storage[i] = abs(w.storage[i]) }
    guard let d = dale else { return w }
    return Self.rightMultiply(w, by: d)
  }

  /// The effective W_in, W_rec and W_out of raw weights.
  func effective(W_in: Matrix<Scalar>, W_rec: Matrix<Scalar>, W_out: Matrix<Scalar>) -> EffectiveWeights<Scalar> {
    EffectiveWeights(
      W_in: effective(W_in, mask: inputConnectivity, dale: nil),
      W_rec: effective(W_rec, mask: recConnectivity, dale: daleRec),
      W_out: effective(W_out, mask: outputConnectivity, dale: daleOut))
  }

  // MARK: - Backward: dLoss/dW_eff → dLoss/dW_raw

  /// Chain rule through `effective`: dW = (dW_eff · Dᵀ) ⊙ sign(W ⊙ C) ⊙ C under Dale, dW_eff ⊙ C otherwise.
  /// sign(0) = 0, as TensorFlow's gradient of |x|.
  @_specialize(where Scalar == Float)
  func backpropagate(
    _ dEffective: Matrix<Scalar>, raw: Matrix<Scalar>, mask: Matrix<Scalar>, dale: Matrix<Scalar>?
  ) -> Matrix<Scalar> {
    guard isDaleActive else { return dEffective .* mask }
    var g = dale.map { Self.rightMultiply(dEffective, by: $0, transposed: true) } ?? dEffective
    for i in g.storage.indices {
      let masked = raw.storage[i] * mask.storage[i]
      let sign: Scalar = masked > 0 ? 1 : (masked < 0 ? -1 : 0)
      g.storage[i] *= sign * mask.storage[i]
    }
    return g
  }

  /// A · D (or A · Dᵀ): a column scaling when D is diagonal (the usual case), else a full product.
  static func rightMultiply(_ a: Matrix<Scalar>, by d: Matrix<Scalar>, transposed: Bool = false) -> Matrix<Scalar> {
    if isDiagonal(d) {
      var out = a
      for i in 0..<a.rows { for j in 0..<a.cols { out[i, j] = a[i, j] * d[j, j] } }
      return out
    }
    return a.matmul(d, transposeOther: transposed)
  }

  static func isDiagonal(_ d: Matrix<Scalar>) -> Bool {
    for i in 0..<d.rows { for j in 0..<d.cols where i != j && d[i, j] != 0 { return false } }
    return true
  }
}
