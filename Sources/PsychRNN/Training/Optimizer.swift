// Optimizers over a model's raw variables, one tensor at a time, with their state kept between
// `train` calls (PsychRNN's `train` is one-shot; ours continues where it stopped).
//
// TensorFlow-1 Adam (spec §7.2), β1 = 0.9, β2 = 0.999, ε̂ = 1e-8, step t = 1, 2, …:
//   m ← m + (g − m)·(1 − β1)              first moment (momentum)
//   v ← v + (g² − v)·(1 − β2)             second moment (RMS)
//   lr_t = lr·sqrt(1 − β2^t) / (1 − β1^t) bias correction folded into the rate
//   θ ← θ − lr_t·m / (sqrt(v) + ε̂)        ε̂ added AFTER the correction (unlike PyTorch/Keras)
// Momentum (TensorFlow's MomentumOptimizer): a ← μ·a + g; θ ← θ − lr·a.   SGD: θ ← θ − lr·g.

import Foundation
import Linear

/// Which optimizer `train` uses (PsychRNN `optimizer`; default Adam with `learning_rate`).
public enum Optimizer: Sendable, Equatable, CustomStringConvertible {
  case adam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
  case sgd
  case momentum(Double = 0.9)

  public var description: String {
    switch self {
    case .adam(let b1, let b2, let e): return "Adam(beta1: \(b1), beta2: \(b2), epsilon: \(e))"
    case .sgd: return "SGD"
    case .momentum(let m): return "Momentum(\(m))"
    }
  }
}

/// An optimizer's slots for every trained variable, and its step count.
public struct OptimizerState<Scalar: LinearScalar>: Sendable {
  public let optimizer: Optimizer
  /// Steps taken so far (t).
  public var step: Int = 0
  /// First moments (Adam `X/Adam`) or momentum accumulators, by variable.
  public var firstMoment: [VariableName: Matrix<Scalar>] = [:]
  /// Second moments (Adam `X/Adam_1`), by variable.
  public var secondMoment: [VariableName: Matrix<Scalar>] = [:]

  public init(optimizer: Optimizer) { self.optimizer = optimizer }

  /// Applies one step of gradients `g` to the variables named in `names`.
  mutating func apply<V: ModelVariables>(_ g: V, to v: inout V, names: [VariableName], learningRate lr: Double)
  where V.Scalar == Scalar {
    step += 1
    for name in names {
      var theta = v[name]
      let grad = g[name]
      let zero = Matrix<Scalar>(rows: grad.rows, cols: grad.cols)
      switch optimizer {
      case .adam(let beta1, let beta2, let epsilon):
        var m = firstMoment[name] ?? zero, s = secondMoment[name] ?? zero
        let t = Double(step)
        let lrT = Scalar(lr * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t)))
        let (oneMinusB1, oneMinusB2, eps) = (Scalar(1 - beta1), Scalar(1 - beta2), Scalar(epsilon))
        for i in theta.storage.indices {
          let gi = grad.storage[i]
          m.storage[i] += (gi - m.storage[i]) * oneMinusB1
          s.storage[i] += (gi * gi - s.storage[i]) * oneMinusB2
          theta.storage[i] -= lrT * m.storage[i] / (s.storage[i].squareRoot() + eps)
        }
        firstMoment[name] = m
        secondMoment[name] = s
      case .momentum(let mu):
        var a = firstMoment[name] ?? zero
        for i in theta.storage.indices {
          a.storage[i] = Scalar(mu) * a.storage[i] + grad.storage[i]
          theta.storage[i] -= Scalar(lr) * a.storage[i]
        }
        firstMoment[name] = a
      case .sgd:
        for i in theta.storage.indices { theta.storage[i] -= Scalar(lr) * grad.storage[i] }
      }
      v[name] = theta
    }
  }
}

/// Scales g to Frobenius norm at most `maxNorm` (TensorFlow's clip_by_norm: g·c / max(‖g‖, c)).
@_specialize(where T == Float)
func clipByNorm<T: LinearScalar>(_ g: inout Matrix<T>, maxNorm: Double) {
  var sq = 0.0
  for v in g.storage { sq += v.doubleValue * v.doubleValue }
  let norm = sq.squareRoot()
  guard norm > maxNorm else { return }
  let factor = T(maxNorm / norm)
  for i in g.storage.indices { g.storage[i] *= factor }
}
