// Regularization (spec §6), value and gradient side by side. Every weight term uses EFFECTIVE
// weights and a mean (not a sum or norm, and not halved):
//
//   R = L1_in·mean|W_in_eff| + L1_rec·mean|W_rec_eff| + L1_out·mean|W_out_eff|
//     + L2_in·mean(W_in_eff²) + L2_rec·mean(W_rec_eff²) + L2_out·mean(W_out_eff²)
//     + L2_firing_rate·mean(φ(states)²)                    (over B·S·N)
//
//   dR/dW_eff = L1·sign(W_eff)/n + 2·L2·W_eff/n             (sign(0) = 0)
//   dR/dφ(s)  = 2·L2_firing_rate·φ(s)/(B·S·N)

import Linear

extension Regularization {
  /// L1·mean|W| + L2·mean(W²) for one matrix, adding its gradient into `dW`.
  @_specialize(where T == Float)
  func weightPenalty<T: LinearScalar>(_ w: Matrix<T>, l1: Double, l2: Double, gradient dW: inout Matrix<T>) -> Double {
    let n = w.storage.count
    guard n > 0, l1 != 0 || l2 != 0 else { return 0 }
    var sumAbs = 0.0, sumSq = 0.0
    let g1 = T(l1 / Double(n)), g2 = T(2 * l2 / Double(n))
    for i in 0..<n {
      let v = w.storage[i]
      sumAbs += abs(v.doubleValue)
      sumSq += v.doubleValue * v.doubleValue
      let sign: T = v > 0 ? 1 : (v < 0 ? -1 : 0)
      dW.storage[i] += g1 * sign + g2 * v
    }
    return l1 * sumAbs / Double(n) + l2 * sumSq / Double(n)
  }

  /// The three weight terms on effective weights, gradients added into `grads`.
  @_specialize(where T == Float)
  func weightPenalties<T: LinearScalar>(_ w: EffectiveWeights<T>, gradients g: inout EffectiveWeights<T>) -> Double {
    weightPenalty(w.W_in, l1: L1_in, l2: L2_in, gradient: &g.W_in)
      + weightPenalty(w.W_rec, l1: L1_rec, l2: L2_rec, gradient: &g.W_rec)
      + weightPenalty(w.W_out, l1: L1_out, l2: L2_out, gradient: &g.W_out)
  }

  /// L2_firing_rate·mean(r²) over `count` rates, adding 2·c·r/count into `dRates`.
  @_specialize(where T == Float)
  func firingRatePenalty<T: LinearScalar>(
    rates r: UnsafePointer<T>, count: Int, gradient dR: UnsafeMutablePointer<T>, mean n: Int? = nil
  ) -> Double {
    guard count > 0, L2_firing_rate != 0 else { return 0 }
    var sum = 0.0
    let total = Double(n ?? count)
    let g = T(2 * L2_firing_rate / total)
    for i in 0..<count {
      sum += r[i].doubleValue * r[i].doubleValue
      dR[i] += g * r[i]
    }
    return L2_firing_rate * sum / total
  }

  // MARK: - Values alone (the same sums, in the same order, without gradients)

  /// L1·mean|W| + L2·mean(W²) for one matrix.
  @_specialize(where T == Float)
  func weightPenaltyValue<T: LinearScalar>(_ w: Matrix<T>, l1: Double, l2: Double) -> Double {
    let n = w.storage.count
    guard n > 0, l1 != 0 || l2 != 0 else { return 0 }
    var sumAbs = 0.0, sumSq = 0.0
    for v in w.storage {
      sumAbs += abs(v.doubleValue)
      sumSq += v.doubleValue * v.doubleValue
    }
    return l1 * sumAbs / Double(n) + l2 * sumSq / Double(n)
  }

  /// The three weight terms on effective weights.
  @_specialize(where T == Float)
  func weightPenaltiesValue<T: LinearScalar>(_ w: EffectiveWeights<T>) -> Double {
    weightPenaltyValue(w.W_in, l1: L1_in, l2: L2_in) + weightPenaltyValue(w.W_rec, l1: L1_rec, l2: L2_rec)
      + weightPenaltyValue(w.W_out, l1: L1_out, l2: L2_out)
  }

  /// L2_firing_rate·mean(r²) over `count` rates (divided by `mean` when given, else `count`).
  @_specialize(where T == Float)
  func firingRatePenaltyValue<T: LinearScalar>(rates r: UnsafePointer<T>, count: Int, mean n: Int? = nil) -> Double {
    guard count > 0, L2_firing_rate != 0 else { return 0 }
    var sum = 0.0
    for i in 0..<count { sum += r[i].doubleValue * r[i].doubleValue }
    return L2_firing_rate * sum / Double(n ?? count)
  }
}
