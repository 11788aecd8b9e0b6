// Broadcasting elementwise binary operations (numpy's arithmetic, comparison, logical and
// maximum/minimum ufuncs), and the ternary `where` and `clip`. Each operation is a kernel type
// whose `apply` the compiler specializes into the loop, so there is no call per element: same-shape
// operands run as one tight loop, scalar-with-array as one loop with the scalar hoisted, and general
// broadcasting as one such loop per run of the strided walk.

import Foundation

/// A binary elementwise operation, with numpy's name and semantics.
public enum BinaryOp: String, Sendable, CaseIterable {
  /// `a + b` (np.add).
  case add
  /// `a - b` (np.subtract).
  case subtract
  /// `a * b` (np.multiply).
  case multiply
  /// `a / b` (np.true_divide): IEEE, so x/0 is ±inf and 0/0 is nan.
  case divide
  /// `a % b` (np.remainder): floored, the result has the sign of the divisor; x % 0 is nan.
  case remainder
  /// `a ** b` (np.power), as C `pow`; a 0-d exponent of 2 is a·a (numpy's `**` does the same).
  case power
  /// `a == b` as 0/1 (np.equal); nan equals nothing.
  case equal
  /// `a != b` as 0/1 (np.not_equal); nan differs from everything.
  case notEqual
  /// `a < b` as 0/1 (np.less).
  case less
  /// `a <= b` as 0/1 (np.less_equal).
  case lessEqual
  /// `a > b` as 0/1 (np.greater).
  case greater
  /// `a >= b` as 0/1 (np.greater_equal).
  case greaterEqual
  /// Both nonzero, as 0/1 (np.logical_and); nan counts as true.
  case logicalAnd
  /// Either nonzero, as 0/1 (np.logical_or); nan counts as true.
  case logicalOr
  /// The larger (np.maximum); nan if either is nan.
  case maximum
  /// The smaller (np.minimum); nan if either is nan.
  case minimum

  /// numpy's name for the operation, used in error messages.
  public var numpyName: String {
    switch self {
    case .add: return "add"
    case .subtract: return "subtract"
    case .multiply: return "multiply"
    case .divide: return "divide"
    case .remainder: return "remainder"
    case .power: return "power"
    case .equal: return "equal"
    case .notEqual: return "not_equal"
    case .less: return "less"
    case .lessEqual: return "less_equal"
    case .greater: return "greater"
    case .greaterEqual: return "greater_equal"
    case .logicalAnd: return "logical_and"
    case .logicalOr: return "logical_or"
    case .maximum: return "maximum"
    case .minimum: return "minimum"
    }
  }
}

/// One binary operation on two Doubles; implemented by a type so that loops specialize on it.
protocol BinaryKernel {
  static func apply(_ a: Double, _ b: Double) -> Double
}

enum AddKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a + b } }
enum SubtractKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a - b } }
enum MultiplyKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a * b } }
enum DivideKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a / b } }
enum PowerKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { pow(a, b) } }
enum EqualKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a == b ? 1 : 0 } }
enum NotEqualKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a != b ? 1 : 0 } }
enum LessKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a < b ? 1 : 0 } }
enum LessEqualKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a <= b ? 1 : 0 } }
enum GreaterKernel: BinaryKernel { @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a > b ? 1 : 0 } }
enum GreaterEqualKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a >= b ? 1 : 0 }
}
enum LogicalAndKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a != 0 && b != 0 ? 1 : 0 }
}
enum LogicalOrKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a != 0 || b != 0 ? 1 : 0 }
}
/// numpy's maximum: the first operand when it is larger or nan, else the second (so nan wins, and
/// of two equal values, such as 0 and -0, the second is kept, as numpy does).
enum MaximumKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a > b || a.isNaN ? a : b }
}
/// numpy's minimum: the first operand when it is smaller or nan, else the second (so nan wins, and
/// of two equal values the second is kept).
enum MinimumKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a < b || a.isNaN ? a : b }
}
/// numpy's floored remainder: C fmod, moved into the divisor's sign when the signs differ; a zero
/// result takes the divisor's sign; x % 0 is fmod's nan.
enum RemainderKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double {
    var mod = a.truncatingRemainder(dividingBy: b)
    if b == 0 { return mod }
    if mod != 0 {
      if (b < 0) != (mod < 0) { mod += b }
    } else {
      mod = Double(signOf: b, magnitudeOf: 0)
    }
    return mod
  }
}

/// Something done with a binary kernel, whichever it is: `ArrayOps.dispatch` hands it the kernel
/// type of an operation, so each use specializes on it (one switch over the operations).
protocol BinaryKernelUse {
  associatedtype Result
  func run<K: BinaryKernel>(_ kernel: K.Type) throws(ArrayError) -> Result
}

extension ArrayOps {
  /// `use` run with the kernel of `op`.
  static func dispatch<U: BinaryKernelUse>(_ op: BinaryOp, _ use: U) throws(ArrayError) -> U.Result {
    switch op {
    case .add: return try use.run(AddKernel.self)
    case .subtract: return try use.run(SubtractKernel.self)
    case .multiply: return try use.run(MultiplyKernel.self)
    case .divide: return try use.run(DivideKernel.self)
    case .remainder: return try use.run(RemainderKernel.self)
    case .power: return try use.run(PowerKernel.self)
    case .equal: return try use.run(EqualKernel.self)
    case .notEqual: return try use.run(NotEqualKernel.self)
    case .less: return try use.run(LessKernel.self)
    case .lessEqual: return try use.run(LessEqualKernel.self)
    case .greater: return try use.run(GreaterKernel.self)
    case .greaterEqual: return try use.run(GreaterEqualKernel.self)
    case .logicalAnd: return try use.run(LogicalAndKernel.self)
    case .logicalOr: return try use.run(LogicalOrKernel.self)
    case .maximum: return try use.run(MaximumKernel.self)
    case .minimum: return try use.run(MinimumKernel.self)
    }
  }

  /// `a op b` elementwise with numpy broadcasting (0-d arrays act as scalars); comparisons and
  /// logical operations give 0/1.
  public static func elementwise(_ op: BinaryOp, _ a: ArrayValue, _ b: ArrayValue) throws(ArrayError) -> ArrayValue {
    // numpy's `**` squares by a·a (its fast scalar power), which is also one pass without pow.
    if op == .power && b.shape.isEmpty && b.values[0] == 2 { return try binary(MultiplyKernel.self, .multiply, a, a) }
    struct Broadcast: BinaryKernelUse {
      let op: BinaryOp, a: ArrayValue, b: ArrayValue
      func run<K: BinaryKernel>(_ kernel: K.Type) throws(ArrayError) -> ArrayValue { try ArrayOps.binary(kernel, op, a, b) }
    }
    return try dispatch(op, Broadcast(op: op, a: a, b: b))
  }

  /// `a op x` (or `x op a` when `numberFirst`) for a number `x`: what `elementwise` gives with
  /// `x` as a 0-d array, value for value, without making that array.
  public static func elementwise(
    _ op: BinaryOp, _ a: ArrayValue, number x: Double, numberFirst: Bool
  ) throws(ArrayError) -> ArrayValue {
    if op == .power && !numberFirst && x == 2 { return try binary(MultiplyKernel.self, .multiply, a, a) }
    if op == .power && numberFirst && a.shape.isEmpty && a.values[0] == 2 { return ArrayValue(scalar: x * x) }
    struct WithNumber: BinaryKernelUse {
      let a: ArrayValue, x: Double, numberFirst: Bool
      func run<K: BinaryKernel>(_ kernel: K.Type) -> ArrayValue {
        let n = a.values.count, x = x
        let values = [Double](unsafeUninitializedCapacity: n) { out, initialized in
          a.values.withUnsafeBufferPointer { v in
            if numberFirst {
              for i in 0..<n { out[i] = K.apply(x, v[i]) }
            } else {
              for i in 0..<n { out[i] = K.apply(v[i], x) }
            }
          }
          initialized = n
        }
        return ArrayValue(shape: a.shape, values: values)
      }
    }
    return try dispatch(op, WithNumber(a: a, x: x, numberFirst: numberFirst))
  }

  /// The broadcasting loop for one kernel.
  fileprivate static func binary<K: BinaryKernel>(
    _ kernel: K.Type, _ op: BinaryOp, _ a: ArrayValue, _ b: ArrayValue
  ) throws(ArrayError) -> ArrayValue {
    // Same shapes, or an array and one number: the result has the array's shape, shared rather
    // than computed (no allocation); anything else goes through numpy's broadcasting rule.
    let shape: [Int]
    if a.shape == b.shape || (b.values.count == 1 && b.shape.count <= a.shape.count) {
      shape = a.shape
    } else if a.values.count == 1 && a.shape.count <= b.shape.count {
      shape = b.shape
    } else {
      shape = try broadcastShape(a.shape, b.shape, operation: op.numpyName)
    }
    let count = shape == a.shape ? a.values.count : (shape == b.shape ? b.values.count : try elementCount(shape))
    if a.shape == b.shape {
      let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
        a.values.withUnsafeBufferPointer { x in
          b.values.withUnsafeBufferPointer { y in
            if count > 0 { binaryRun(K.self, x.baseAddress!, 1, y.baseAddress!, 1, out.baseAddress!, count) }
          }
        }
        initialized = count
      }
      return ArrayValue(shape: shape, values: values)
    }
    // An array and one number (the commonest broadcast, `t * 2`): one loop, no walk to set up.
    if (b.values.count == 1 && shape == a.shape) || (a.values.count == 1 && shape == b.shape) {
      let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
        a.values.withUnsafeBufferPointer { x in
          b.values.withUnsafeBufferPointer { y in
            if count > 0 {
              binaryRun(
                K.self, x.baseAddress!, a.values.count == 1 ? 0 : 1, y.baseAddress!, b.values.count == 1 ? 0 : 1,
                out.baseAddress!, count)
            }
          }
        }
        initialized = count
      }
      return ArrayValue(shape: shape, values: values)
    }
    let walk = StridedWalk(
      shape: shape,
      strides: [contiguousStrides(shape), broadcastStrides(a.shape, to: shape), broadcastStrides(b.shape, to: shape)])
    let run = walk.runLength, sa = walk.runStride(1), sb = walk.runStride(2)
    let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
      a.values.withUnsafeBufferPointer { x in
        b.values.withUnsafeBufferPointer { y in
          walk.forEachRun(base: [0, 0, 0]) { o in
            binaryRun(K.self, x.baseAddress! + o[1], sa, y.baseAddress! + o[2], sb, out.baseAddress! + o[0], run)
          }
        }
      }
      initialized = count
    }
    return ArrayValue(shape: shape, values: values)
  }

  /// One run: `out[i] = K(a[i·sa], b[i·sb])`, with the contiguous and scalar cases as separate loops.
  @inline(__always)
  private static func binaryRun<K: BinaryKernel>(
    _: K.Type, _ a: UnsafePointer<Double>, _ sa: Int, _ b: UnsafePointer<Double>, _ sb: Int,
    _ out: UnsafeMutablePointer<Double>, _ n: Int
  ) {
    if sa == 1 && sb == 1 {
      for i in 0..<n { out[i] = K.apply(a[i], b[i]) }
    } else if sa == 0 && sb == 1 {
      let x = a[0]
      for i in 0..<n { out[i] = K.apply(x, b[i]) }
    } else if sa == 1 && sb == 0 {
      let y = b[0]
      for i in 0..<n { out[i] = K.apply(a[i], y) }
    } else {
      for i in 0..<n { out[i] = K.apply(a[i * sa], b[i * sb]) }
    }
  }
}

// MARK: - Ternary: where and clip

/// One three-operand operation; implemented by a type so that loops specialize on it.
protocol TernaryKernel {
  static func apply(_ a: Double, _ b: Double, _ c: Double) -> Double
}

/// `np.where`: the second operand where the first is nonzero (nan counts as true), else the third.
enum WhereKernel: TernaryKernel {
  @inline(__always) static func apply(_ c: Double, _ x: Double, _ y: Double) -> Double { c != 0 ? x : y }
}

/// `np.clip`: min(max(x, lo), hi) with nan propagating from any operand; lo > hi gives hi.
enum ClipKernel: TernaryKernel {
  @inline(__always) static func apply(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
    let low = x.isNaN ? x : (x > lo ? x : lo)
    return low.isNaN ? low : (low < hi ? low : hi)
  }
}

extension ArrayOps {
  /// `np.where(condition, x, y)`: `x` where `condition` is nonzero, else `y`, all three broadcast together.
  public static func `where`(_ condition: ArrayValue, _ x: ArrayValue, _ y: ArrayValue) throws(ArrayError) -> ArrayValue {
    try ternary(WhereKernel.self, "where", condition, x, y)
  }

  /// `np.clip(a, lo, hi)`: `a` limited to [lo, hi] elementwise (lo and hi broadcast; 0-d for scalars).
  /// nan in any operand gives nan; where lo > hi the result is hi, as numpy.
  public static func clip(_ a: ArrayValue, _ lo: ArrayValue, _ hi: ArrayValue) throws(ArrayError) -> ArrayValue {
    try ternary(ClipKernel.self, "clip", a, lo, hi)
  }

  private static func ternary<K: TernaryKernel>(
    _: K.Type, _ name: String, _ a: ArrayValue, _ b: ArrayValue, _ c: ArrayValue
  ) throws(ArrayError) -> ArrayValue {
    // Pairwise checks name the two shapes that clash; pairwise compatible means jointly compatible.
    let ab = try broadcastShape(a.shape, b.shape, operation: name)
    _ = try broadcastShape(a.shape, c.shape, operation: name)
    _ = try broadcastShape(b.shape, c.shape, operation: name)
    let shape = try broadcastShape(ab, c.shape, operation: name)
    let count = try elementCount(shape)
    let walk = StridedWalk(
      shape: shape,
      strides: [
        contiguousStrides(shape), broadcastStrides(a.shape, to: shape), broadcastStrides(b.shape, to: shape),
        broadcastStrides(c.shape, to: shape),
      ])
    let run = walk.runLength, sa = walk.runStride(1), sb = walk.runStride(2), sc = walk.runStride(3)
    let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
      a.values.withUnsafeBufferPointer { x in
        b.values.withUnsafeBufferPointer { y in
          c.values.withUnsafeBufferPointer { z in
            walk.forEachRun(base: [0, 0, 0, 0]) { o in
              let p = x.baseAddress! + o[1], q = y.baseAddress! + o[2], r = z.baseAddress! + o[3]
              let dst = out.baseAddress! + o[0]
              if sa == 1 && sb == 1 && sc == 1 {
                for i in 0..<run { dst[i] = K.apply(p[i], q[i], r[i]) }
              } else if sa == 1 && sb == 0 && sc == 0 {
                let u = q[0], v = r[0]
                for i in 0..<run { dst[i] = K.apply(p[i], u, v) }
              } else {
                for i in 0..<run { dst[i] = K.apply(p[i * sa], q[i * sb], r[i * sc]) }
              }
            }
          }
        }
      }
      initialized = count
    }
    return ArrayValue(shape: shape, values: values)
  }
}
