// Losses (spec §5), value and gradient side by side. Both built-in losses average over ALL
// B·S·N_out elements, masked ones included (as PsychRNN does), not over the unmasked count.
//
//   mean_squared_error:    L = mean((m ⊙ (z − y))²)               dL/dz = 2·m²·(z − y) / n
//   binary_cross_entropy:  p = clip(z, ε, 1 − ε), ε = 1e-7
//                          L = mean(m ⊙ −(y·log(p + ε) + (1 − y)·log(1 − p + ε)))
//                          dL/dz = m·(−y/(p + ε) + (1 − y)/(1 − p + ε)) / n   for ε ≤ z ≤ 1 − ε, else 0

import Foundation
import Linear

extension LossFunction {
  /// The loss of outputs z against targets y under mask m (equal-length flat buffers in the same
  /// layout), and dL/dz written into `dz`. Sums accumulate in Double.
  @_specialize(where T == Float)
  func evaluate<T: LinearScalar>(
    outputs z: UnsafePointer<T>, targets y: UnsafePointer<T>, mask m: UnsafePointer<T>,
    count n: Int, gradient dz: UnsafeMutablePointer<T>
  ) -> Double {
    guard n > 0 else { return 0 }
    let inv = 1 / Double(n)
    switch self {
    case .meanSquaredError:
      var sum = 0.0
      for i in 0..<n {
        let d = m[i] * (z[i] - y[i])
        sum += d.doubleValue * d.doubleValue
        dz[i] = T(2 * inv) * m[i] * d
      }
      return sum * inv
    case .binaryCrossEntropy:
      let eps = 1e-7
      var sum = 0.0
      for i in 0..<n {
        let zi = z[i].doubleValue, yi = y[i].doubleValue, mi = m[i].doubleValue
        let p = min(max(zi, eps), 1 - eps)
        sum += mi * -(yi * log(p + eps) + (1 - yi) * log(1 - p + eps))
        let inside = zi >= eps && zi <= 1 - eps
        dz[i] = inside ? T(mi * (-yi / (p + eps) + (1 - yi) / (1 - p + eps)) * inv) : 0
      }
      return sum * inv
    case .custom(let c):
      let zs = (0..<n).map { z[$0].doubleValue }, ys = (0..<n).map { y[$0].doubleValue }
      let ms = (0..<n).map { m[$0].doubleValue }
      let (value, grad) = c.evaluate(zs, ys, ms)
      for i in 0..<n { dz[i] = i < grad.count ? T(grad[i]) : 0 }
      return value
    }
  }
}
