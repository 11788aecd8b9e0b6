// The transfer function φ that turns states into rates, with its derivative, applied to whole
// buffers (one dispatch per buffer, a tight loop inside). PsychRNN accepts any TensorFlow function;
// we provide the ones its users pick, under TensorFlow's names.

import Foundation
import Linear

/// An elementwise transfer function φ (PsychRNN `transfer_function`; default relu).
public enum TransferFunction: String, Sendable, CaseIterable, CustomStringConvertible {
  /// max(v, 0). φ′(0) = 0, as TensorFlow's gradient.
  case relu
  /// tanh(v).
  case tanh
  /// 1 / (1 + e^(−v)).
  case sigmoid
  /// v (identity).
  case linear
  /// log(1 + e^v).
  case softplus
  /// v for v > 0, e^v − 1 otherwise.
  case elu
  /// min(max(v, 0), 6).
  case relu6

  public var description: String { rawValue }

  /// Looks a function up by name; accepts TensorFlow spellings such as "tf.nn.relu" and "identity".
  public init?(name: String) {
    let last = name.split(separator: ".").last.map(String.init) ?? name
    switch last.lowercased() {
    case "identity": self = .linear
    default:
      guard let f = TransferFunction(rawValue: last.lowercased()) else { return nil }
      self = f
    }
  }

  /// The TensorFlow module holding this function, as PsychRNN's pickled weight files name it.
  public var tensorflowModule: String {
    switch self {
    case .relu, .elu, .relu6: return "tensorflow.python.ops.gen_nn_ops"
    case .tanh: return "tensorflow.python.ops.gen_math_ops"
    case .sigmoid, .softplus: return "tensorflow.python.ops.math_ops"
    case .linear: return "tensorflow.python.ops.array_ops"
    }
  }

  /// φ(v) for one value (reference; the buffer form below is what the model uses).
  public func callAsFunction(_ v: Double) -> Double {
    switch self {
    case .relu: return max(v, 0)
    case .tanh: return Foundation.tanh(v)
    case .sigmoid: return 1 / (1 + exp(-v))
    case .linear: return v
    case .softplus: return v > 0 ? v + log1p(exp(-v)) : log1p(exp(v))
    case .elu: return v > 0 ? v : expm1(v)
    case .relu6: return min(max(v, 0), 6)
    }
  }

  /// φ′(v) for one value.
  public func derivative(_ v: Double) -> Double {
    switch self {
    case .relu: return v > 0 ? 1 : 0
    case .tanh: let t = Foundation.tanh(v); return 1 - t * t
    case .sigmoid: let s = 1 / (1 + exp(-v)); return s * (1 - s)
    case .linear: return 1
    case .softplus: return 1 / (1 + exp(-v))
    case .elu: return v > 0 ? 1 : exp(v)
    case .relu6: return v > 0 && v < 6 ? 1 : 0
    }
  }

  /// rates[i] = φ(states[i]) for `count` values.
  @_specialize(where T == Float)
  func apply<T: LinearScalar>(_ states: UnsafePointer<T>, _ rates: UnsafeMutablePointer<T>, count: Int) {
    switch self {
    case .relu: for i in 0..<count { rates[i] = states[i] > 0 ? states[i] : 0 }
    case .linear: for i in 0..<count { rates[i] = states[i] }
    case .relu6: for i in 0..<count { rates[i] = min(max(states[i], 0), 6) }
    default: for i in 0..<count { rates[i] = T(self(states[i].doubleValue)) }
    }
  }

  /// grad[i] *= φ′(s_i) for `count` values, from the rates r_i = φ(s_i) alone: every φ here has
  /// its derivative as a function of its value, so training need not keep the states.
  ///   relu: r > 0 ⇔ s > 0 (φ′(0) = 0)   relu6: 0 < r < 6 ⇔ 0 < s < 6   tanh: 1 − r²
  ///   sigmoid: r(1 − r)   elu: 1 for r > 0, else r + 1 = e^s   softplus: 1 − e^(−r) = σ(s)
  @_specialize(where T == Float)
  func multiplyByDerivative<T: LinearScalar>(_ grad: UnsafeMutablePointer<T>, rates: UnsafePointer<T>, count: Int) {
    switch self {
    case .relu: for i in 0..<count { grad[i] = rates[i] > 0 ? grad[i] : 0 }
    case .linear: break
    case .relu6: for i in 0..<count { grad[i] = rates[i] > 0 && rates[i] < 6 ? grad[i] : 0 }
    case .tanh: for i in 0..<count { grad[i] *= 1 - rates[i] * rates[i] }
    case .sigmoid: for i in 0..<count { grad[i] *= rates[i] * (1 - rates[i]) }
    case .elu: for i in 0..<count where !(rates[i] > 0) { grad[i] *= rates[i] + 1 }
    case .softplus: for i in 0..<count { grad[i] *= T(-expm1(-rates[i].doubleValue)) }
    }
  }

  // MARK: - Fused per-step kernels (one pass over memory instead of two)
  //
  // They run over `rows` rows of `cols` values: states, h and g are contiguous (row stride
  // `cols`); rates and α·g live in the workspace's wide rows (strides `rateStride`, `alphaGStride`).

  /// Forward step tail: s ← s + decay·s_prev, then rates = φ(s).
  @_specialize(where T == Float)
  func leakAndApply<T: LinearScalar>(
    _ s: UnsafeMutablePointer<T>, previous: UnsafePointer<T>, decay: T,
    rates: UnsafeMutablePointer<T>, rateStride: Int, rows: Int, cols: Int
  ) {
    for row in 0..<rows {
      let s = s + row * cols, previous = previous + row * cols, rates = rates + row * rateStride
      if self == .relu {
        for i in 0..<cols {
          let v = s[i] + decay * previous[i]
          s[i] = v
          rates[i] = v > 0 ? v : 0
        }
      } else {
        for i in 0..<cols { s[i] += decay * previous[i] }
        apply(s, rates, count: cols)
      }
    }
  }

  /// Backward step: g ← h ⊙ φ′(s) + decay·g, and αg ← α·g (φ′ from the rates).
  @_specialize(where T == Float)
  func backpropagateStep<T: LinearScalar>(
    h: UnsafeMutablePointer<T>, rates: UnsafePointer<T>, rateStride: Int,
    g: UnsafeMutablePointer<T>, alphaG: UnsafeMutablePointer<T>, alphaGStride: Int,
    decay: T, alpha: T, rows: Int, cols: Int
  ) {
    for row in 0..<rows {
      let h = h + row * cols, rates = rates + row * rateStride
      let g = g + row * cols, alphaG = alphaG + row * alphaGStride
      if self == .relu {
        for i in 0..<cols {
          let gi = (rates[i] > 0 ? h[i] : 0) + decay * g[i]
          g[i] = gi
          alphaG[i] = alpha * gi
        }
        continue
      }
      multiplyByDerivative(h, rates: rates, count: cols)
      for i in 0..<cols {
        let gi = h[i] + decay * g[i]
        g[i] = gi
        alphaG[i] = alpha * gi
      }
    }
  }
}
