// Elementwise functions of one array (numpy's unary ufuncs). As with the binary operations, each
// function is a kernel type specialized into a single loop over contiguous storage.

import Foundation

/// A unary elementwise function, with numpy's name and semantics.
public enum UnaryFunction: String, Sendable, CaseIterable {
  /// `-x` (np.negative).
  case negate
  /// 1 where x is 0, else 0 (np.logical_not; nan counts as true, so gives 0).
  case logicalNot
  /// |x| (np.abs).
  case abs
  /// √x (np.sqrt); nan for negative x.
  case sqrt
  /// eˣ (np.exp).
  case exp
  /// ln x (np.log); -inf at 0, nan below.
  case log
  /// tanh x (np.tanh).
  case tanh
  /// sin x (np.sin), x in radians.
  case sin
  /// cos x (np.cos), x in radians.
  case cos
  /// -1, 0 or 1 (np.sign); sign(0) = 0 and sign(nan) = nan.
  case sign
  /// The nearest integer, halves to even (np.round / np.rint: round(0.5) = 0, round(2.5) = 2).
  case round
  /// ⌊x⌋ (np.floor).
  case floor
  /// ⌈x⌉ (np.ceil).
  case ceil
  /// 1 where x is nan (np.isnan).
  case isnan
  /// 1 where x is ±inf (np.isinf).
  case isinf
  /// 1 where x is neither nan nor ±inf (np.isfinite).
  case isfinite
}

/// One function of a Double; implemented by a type so that loops specialize on it.
protocol UnaryKernel {
  static func apply(_ x: Double) -> Double
}

enum NegateKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { -x } }
enum LogicalNotKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { x == 0 ? 1 : 0 } }
enum AbsKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { x.magnitude } }
enum SqrtKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { x.squareRoot() } }
enum ExpKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { Foundation.exp(x) } }
enum LogKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { Foundation.log(x) } }
enum TanhKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { Foundation.tanh(x) } }
enum SinKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { Foundation.sin(x) } }
enum CosKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { Foundation.cos(x) } }
enum SignKernel: UnaryKernel {
  @inline(__always) static func apply(_ x: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : (x == 0 ? 0 : x)) }
}
/// Half to even without a library call: below 2⁵², adding and subtracting 2⁵² rounds |x| to an
/// integer in the default (nearest, ties to even) mode; the sign is put back so -0.4 gives -0.
enum RoundKernel: UnaryKernel {
  @inline(__always) static func apply(_ x: Double) -> Double {
    let big = 4_503_599_627_370_496.0  // 2^52
    let m = x.magnitude
    return m < big ? Double(signOf: x, magnitudeOf: (m + big) - big) : x
  }
}
enum FloorKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { x.rounded(.down) } }
enum CeilKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { x.rounded(.up) } }
enum IsNaNKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { x.isNaN ? 1 : 0 } }
enum IsInfKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { x.isInfinite ? 1 : 0 } }
enum IsFiniteKernel: UnaryKernel { @inline(__always) static func apply(_ x: Double) -> Double { x.isFinite ? 1 : 0 } }

/// Something done with a unary kernel, whichever it is: `ArrayOps.dispatch` hands it the
/// kernel type of a function, so each use specializes on it (one switch over the functions).
protocol UnaryKernelUse {
  associatedtype Result
  func run<K: UnaryKernel>(_ kernel: K.Type) -> Result
}

extension ArrayOps {
  /// `use` run with the kernel of `f`.
  static func dispatch<U: UnaryKernelUse>(_ f: UnaryFunction, _ user: U) -> U.Result {
    switch f {
    case .negate: return user.run(NegateKernel.self)
    case .logicalNot: return user.run(LogicalNotKernel.self)
    case .abs: return user.run(AbsKernel.self)
    case .sqrt: return user.run(SqrtKernel.self)
    case .exp: return user.run(ExpKernel.self)
    case .log: return user.run(LogKernel.self)
    case .tanh: return user.run(TanhKernel.self)
    case .sin: return user.run(SinKernel.self)
    case .cos: return user.run(CosKernel.self)
    case .sign: return user.run(SignKernel.self)
    case .round: return user.run(RoundKernel.self)
    case .floor: return user.run(FloorKernel.self)
    case .ceil: return user.run(CeilKernel.self)
    case .isnan: return user.run(IsNaNKernel.self)
    case .isinf: return user.run(IsInfKernel.self)
    case .isfinite: return user.run(IsFiniteKernel.self)
    }
  }

  /// `f(a)` elementwise; the result has `a`'s shape.
  public static func unary(_ f: UnaryFunction, _ a: ArrayValue) -> ArrayValue {
    struct Map: UnaryKernelUse {
      let a: ArrayValue
      func run<K: UnaryKernel>(_ kernel: K.Type) -> ArrayValue { ArrayOps.map(kernel, a) }
    }
    return dispatch(f, Map(a: a))
  }

  /// `f(x)` of one number (the same kernel, without making arrays).
  public static func unary(_ f: UnaryFunction, scalar x: Double) -> Double {
    struct Apply: UnaryKernelUse {
      let x: Double
      func run<K: UnaryKernel>(_ kernel: K.Type) -> Double { K.apply(x) }
    }
    return dispatch(f, Apply(x: x))
  }

  fileprivate static func map<K: UnaryKernel>(_: K.Type, _ a: ArrayValue) -> ArrayValue {
    let n = a.values.count
    let values = [Double](unsafeUninitializedCapacity: n) { out, initialized in
      a.values.withUnsafeBufferPointer { x in
        for i in 0..<n { out[i] = K.apply(x[i]) }
      }
      initialized = n
    }
    return ArrayValue(shape: a.shape, values: values)
  }
}
