// The four random-init formulas (spec §8.1). One draw per entry in row-major order; the mask
// shapes the Glorot scale but is not applied to the values.

import Linear

extension RandomInit {
  /// A matrix shaped like `mask`, drawn from `rng`.
  func draw(mask: Matrix<Double>, minval: Double, maxval: Double, using rng: inout NumpyRandom) -> Matrix<Double> {
    switch self {
    case .const_gauss:
      return Matrix(rows: mask.rows, cols: mask.cols) { _, _ in rng.normal() }
    case .const_unif:
      return Matrix(rows: mask.rows, cols: mask.cols) { _, _ in minval + (maxval - minval) * rng.uniform() }
    case .glorot_gauss:
      let fan = Self.fans(mask)
      return Matrix(rows: mask.rows, cols: mask.cols) { i, j in
        let z = rng.normal()
        return Self.scaled(z, scale: (2 / fan(i, j)).squareRoot())
      }
    case .glorot_unif:
      let fan = Self.fans(mask)
      return Matrix(rows: mask.rows, cols: mask.cols) { i, j in
        let u = rng.uniform()
        let limit = (6 / fan(i, j)).squareRoot()
        return Self.scaled(-limit + 2 * limit * u, scale: 1, infinite: limit.isInfinite)
      }
    }
  }

  /// F(i, j) = (row sum i of C) + (column sum j of C).
  private static func fans(_ c: Matrix<Double>) -> (Int, Int) -> Double {
    var rowSums = [Double](repeating: 0, count: c.rows), colSums = [Double](repeating: 0, count: c.cols)
    for i in 0..<c.rows { for j in 0..<c.cols { rowSums[i] += c[i, j]; colSums[j] += c[i, j] } }
    return { i, j in rowSums[i] + colSums[j] }
  }

  /// An entry whose row and column are both fully cut has F = 0 and an infinite scale in PsychRNN
  /// (quirk 5). Its value never matters (it is masked), so we store 0 instead of ±inf/NaN.
  private static func scaled(_ z: Double, scale: Double, infinite: Bool = false) -> Double {
    if infinite || scale.isInfinite { return 0 }
    return scale * z
  }
}
