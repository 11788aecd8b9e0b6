// The elementwise half of one LSTM step, forward and backward side by side (spec §10). The matrix
// products around it are in LSTM+Pass.swift. Per unit, with a_f, a_i, a_c, a_o the gates'
// pre-activations [h_{k−1}, u_k]·W + b, and σ the logistic function:
//
//   forward                          backward (dh = dL/dh_k complete; dc = dL/dc_k from step k+1)
//   f = σ(a_f)    i = σ(a_i)         dc  += dh ⊙ o ⊙ s(1 − s)
//   g = tanh(a_c) o = σ(a_o)         da_o = dh ⊙ s ⊙ o(1 − o)
//   c_k = f ⊙ c_{k−1} + i ⊙ g        da_f = dc ⊙ c_{k−1} ⊙ f(1 − f)
//   s   = σ(c_k)                     da_i = dc ⊙ g ⊙ i(1 − i)
//   h_k = o ⊙ s                      da_c = dc ⊙ i ⊙ (1 − g²)
//                                    dL/dc_{k−1} = dc ⊙ f
//
// h_k = o ⊙ σ(c_k), with the LOGISTIC σ where textbooks have tanh: PsychRNN's LSTM computes it this
// way (its quirk 12) and we keep it for parity.
//
// A row of the gate buffer is [f | i | c | o], N units each. Each formula is its own short loop over
// one row, with no calls and no branches inside, which the compiler turns into vector instructions.

import Foundation
import Linear

enum LSTMCell {
  /// Forward for B rows: `gates` holds pre-activations on entry and f, i, g, o on exit; writes c_k,
  /// s = σ(c_k) and h_k from c_{k−1}. All buffers are B × N except `gates`, B × 4N, and `hidden`,
  /// whose rows are `hiddenStride` apart.
  @inline(__always)
  @_specialize(where T == Float)
  static func forward<T: LinearScalar>(
    gates a: UnsafeMutablePointer<T>, previousCell: UnsafePointer<T>, cell: UnsafeMutablePointer<T>,
    squashedCell: UnsafeMutablePointer<T>, hidden: UnsafeMutablePointer<T>, hiddenStride: Int,
    batch B: Int, units N: Int
  ) {
    for b in 0..<B {
      let f = a + b * 4 * N, i = f + N, g = i + N, o = g + N
      let cPrev = previousCell + b * N, c = cell + b * N, s = squashedCell + b * N, h = hidden + b * hiddenStride
      for j in 0..<(2 * N) { f[j] = sigmoid(f[j]) }  // f and i side by side
      for j in 0..<N { g[j] = tanh(g[j]) }
      for j in 0..<N { o[j] = sigmoid(o[j]) }
      for j in 0..<N { c[j] = f[j] * cPrev[j] + i[j] * g[j] }
      for j in 0..<N { s[j] = sigmoid(c[j]) }
      for j in 0..<N { h[j] = o[j] * s[j] }
    }
  }

  /// Backward for B rows: reads f, i, g, o from `gates` and overwrites them with da_f, da_i, da_c,
  /// da_o; `dCell` enters as dL/dc_k's part from step k+1 and leaves as dL/dc_{k−1}.
  @inline(__always)
  @_specialize(where T == Float)
  static func backward<T: LinearScalar>(
    gates a: UnsafeMutablePointer<T>, previousCell: UnsafePointer<T>, squashedCell: UnsafePointer<T>,
    dHidden: UnsafePointer<T>, dCell: UnsafeMutablePointer<T>, batch B: Int, units N: Int
  ) {
    for b in 0..<B {
      let f = a + b * 4 * N, i = f + N, g = i + N, o = g + N
      let cPrev = previousCell + b * N, s = squashedCell + b * N, dh = dHidden + b * N, dc = dCell + b * N
      for j in 0..<N {
        let sj = s[j], oj = o[j], dhj = dh[j]
        dc[j] += dhj * oj * sj * (1 - sj)
        o[j] = dhj * sj * oj * (1 - oj)
      }
      for j in 0..<N {
        let fj = f[j], ij = i[j], gj = g[j], dcj = dc[j]
        f[j] = dcj * cPrev[j] * fj * (1 - fj)
        i[j] = dcj * gj * ij * (1 - ij)
        g[j] = dcj * ij * (1 - gj * gj)
        dc[j] = dcj * fj
      }
    }
  }

  // MARK: - σ, tanh and e^x

  /// σ(x) = 1 / (1 + e^(−x)).
  @inline(__always)
  static func sigmoid<T: LinearScalar>(_ x: T) -> T { 1 / (1 + exp(-x)) }

  /// tanh x: for Float 1 − 2 / (e^(2x) + 1), within about 2e-7 of it (absolutely, which is what
  /// matters here); for Double the C library's.
  @inline(__always)
  static func tanh<T: LinearScalar>(_ x: T) -> T {
    if T.self == Double.self { return T(Foundation.tanh(x.doubleValue)) }
    return 1 - 2 / (exp(2 * x) + 1)
  }

  /// e^x: for Float the branch-free `expFloat`, for Double the C library's. The type test folds
  /// away once the code is specialized.
  @inline(__always)
  static func exp<T: LinearScalar>(_ x: T) -> T {
    if T.self == Float.self { return unsafeBitCast(expFloat(unsafeBitCast(x, to: Float.self)), to: T.self) }
    return T(Foundation.exp(x.doubleValue))
  }

  /// e^x = 2^n · e^r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, e^r by its Taylor series to r⁷/7!
  /// (relative error below 3e-7 overall), 2^n built in the exponent bits. x is clamped to [−87, 88],
  /// where 2^n stays a normal float (σ is 0 or 1 to float precision beyond); NaN stays NaN. No
  /// calls and no branches, so loops over it become vector instructions.
  @inline(__always)
  static func expFloat(_ x: Float) -> Float {
    let x = x > 88 ? 88 : (x < -87 ? -87 : x)
    // Round to an integer by adding and subtracting 1.5·2^23; the low bits of `shifted` hold n.
    let shifted = x * 1.442_695_04 + 12_582_912
    let n = shifted - 12_582_912
    let r = (x - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6  // ln 2 in two parts: n·(first) is exact
    var p: Float = 1.0 / 5040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    return p * Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
  }
}
