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
  /// time-major layout, (S, B, N_out) with `steps` S and `batch` B), and dL/dz written into `dz`
  /// (a custom loss writes it only when `needsGradient`). Sums accumulate in Double.
  @_specialize(where T == Float)
  func evaluate<T: LinearScalar>(
    outputs z: UnsafePointer<T>, targets y: UnsafePointer<T>, mask m: UnsafePointer<T>,
    count n: Int, steps: Int, batch: Int, gradient dz: UnsafeMutablePointer<T>, needsGradient: Bool = true
  ) throws -> Double {
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
      // The language's arrays are batch-major, (B, S, N_out).
      let S = steps, B = batch, N = n / max(1, S * B)
      func batchMajor(_ p: UnsafePointer<T>) -> [Double] {
        [Double](unsafeUninitializedCapacity: n) { out, initialized in
          for s in 0..<S {
            for b in 0..<B {
              let from = p + (s * B + b) * N, to = (b * S + s) * N
              for o in 0..<N { out[to + o] = from[o].doubleValue }
            }
          }
          initialized = n
        }
      }
      let (value, grad) = try c.evaluate(batchMajor(z), batchMajor(y), batchMajor(m), [B, S, N], needsGradient)
      if needsGradient {
        guard let grad, grad.count == n else {
          throw TrainingError.customFunction(name: c.name, problem: "gave no gradient of the outputs' size")
        }
        for s in 0..<S {
          for b in 0..<B {
            let from = (b * S + s) * N, to = dz + (s * B + b) * N
            for o in 0..<N { to[o] = T(grad[from + o]) }
          }
        }
      }
      return value
    }
  }
}
