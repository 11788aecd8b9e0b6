// Principal component analysis of state trajectories (Float64), as numpy computes it by the SVD of
// the centred data: X (samples × units) → mean, X − mean = U·S·Vᵀ, components = the first n rows of
// Vᵀ, explained variance S²/(samples − 1) and its ratio S²/ΣS², projections (X − mean)·componentsᵀ.
// Each component's sign is fixed so that its largest-magnitude entry is positive (scikit-learn's
// convention), so results do not flip between runs or machines.

import Linear

/// The principal components of a set of samples.
public struct PCA: Sendable {
  /// The mean of the samples, one value per unit.
  public var mean: [Double]
  /// n × units, one component per row, orthonormal.
  public var components: Matrix<Double>
  /// The variance along each component, S²/(samples − 1).
  public var explainedVariance: [Double]
  /// Each component's share of the total variance.
  public var explainedVarianceRatio: [Double]

  /// The first `n` components of `samples` (rows are samples, columns units).
  public init(samples x: Matrix<Double>, components n: Int) throws {
    let (m, units) = (x.rows, x.cols)
    guard m >= 2 else { throw ConfigurationError.invalid(key: "pca", message: "needs at least 2 samples, got \(m)") }
    guard (1...min(m, units)).contains(n) else {
      throw ConfigurationError.invalid(
        key: "n", message: "must be between 1 and \(min(m, units)) (samples and units limit it), got \(n)")
    }
    var mean = [Double](repeating: 0, count: units)
    for i in 0..<m { for j in 0..<units { mean[j] += x[i, j] } }
    for j in 0..<units { mean[j] /= Double(m) }
    var centred = x
    for i in 0..<m { for j in 0..<units { centred[i, j] -= mean[j] } }
    let (_, s, vt) = try singularValueDecomposition(of: centred)
    let total = s.reduce(0) { $0 + $1 * $1 }
    var components = Matrix<Double>(rows: n, cols: units)
    for c in 0..<n {
      var row = (0..<units).map { vt[c, $0] }
      if let big = row.indices.max(by: { abs(row[$0]) < abs(row[$1]) }), row[big] < 0 { row = row.map { -$0 } }
      for j in 0..<units { components[c, j] = row[j] }
    }
    self.mean = mean
    self.components = components
    explainedVariance = s.prefix(n).map { $0 * $0 / Double(m - 1) }
    explainedVarianceRatio = s.prefix(n).map { total > 0 ? $0 * $0 / total : 0 }
  }

  /// Samples projected onto the components: (samples × units) → (samples × n).
  public func project(_ x: Matrix<Double>) -> Matrix<Double> {
    var out = Matrix<Double>(rows: x.rows, cols: components.rows)
    for i in 0..<x.rows {
      for c in 0..<components.rows {
        var sum = 0.0
        for j in 0..<x.cols { sum += (x[i, j] - mean[j]) * components[c, j] }
        out[i, c] = sum
      }
    }
    return out
  }
}
