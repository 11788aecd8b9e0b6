// Reductions over one axis or over everything (numpy's sum, mean, std, var, min, max, argmin,
// argmax, any, all, prod). The array is viewed as (outer, n, inner) with n the reduced axis;
// for inner > 1 each step folds a whole contiguous row of `inner` accumulators, and for inner == 1
// (reducing the last axis, or everything) each accumulator folds a contiguous run.
//
// Summation follows numpy's order so results match it bit for bit: a contiguous run (inner == 1)
// is summed pairwise exactly as numpy's pairwise_sum does (blocks of at most 128 with eight partial
// sums, halves of longer runs split at a multiple of 8), added to the identity 0; otherwise rows
// are added one after another into accumulators that start at 0.

import Foundation

/// A reduction, with numpy's name as its raw value (`Reduction(rawValue: "var")`).
public enum Reduction: String, Sendable, CaseIterable {
  /// Σ (np.sum); 0 for no elements.
  case sum
  /// Σ / n (np.mean); nan for no elements.
  case mean
  /// √var (np.std, ddof 0).
  case std
  /// mean of squared deviations from the mean (np.var, ddof 0).
  case variance = "var"
  /// The smallest (np.min); nan if any is nan; an error for no elements.
  case min
  /// The largest (np.max); nan if any is nan; an error for no elements.
  case max
  /// Position of the first smallest (np.argmin), or of the first nan; flat over everything when no axis.
  case argmin
  /// Position of the first largest (np.argmax), or of the first nan; flat over everything when no axis.
  case argmax
  /// 1 if any element is nonzero (np.any; nan counts as nonzero); 0 for no elements.
  case any
  /// 1 if every element is nonzero (np.all); 1 for no elements.
  case all
  /// Π (np.prod); 1 for no elements.
  case prod
}

/// An associative fold with a starting value, specialized into the reduction loops.
protocol FoldKernel {
  static var identity: Double { get }
  static func combine(_ acc: Double, _ x: Double) -> Double
}

enum SumFold: FoldKernel {
  static var identity: Double { 0 }
  @inline(__always) static func combine(_ acc: Double, _ x: Double) -> Double { acc + x }
}
enum ProdFold: FoldKernel {
  static var identity: Double { 1 }
  @inline(__always) static func combine(_ acc: Double, _ x: Double) -> Double { acc * x }
}
enum AnyFold: FoldKernel {
  static var identity: Double { 0 }
  @inline(__always) static func combine(_ acc: Double, _ x: Double) -> Double { acc != 0 || x != 0 ? 1 : 0 }
}
enum AllFold: FoldKernel {
  static var identity: Double { 1 }
  @inline(__always) static func combine(_ acc: Double, _ x: Double) -> Double { acc != 0 && x != 0 ? 1 : 0 }
}
/// Folds for max and min have no identity: they start from the first element.
enum MaxFold: FoldKernel {
  static var identity: Double { -.infinity }
  @inline(__always) static func combine(_ acc: Double, _ x: Double) -> Double { MaximumKernel.apply(acc, x) }
}
enum MinFold: FoldKernel {
  static var identity: Double { .infinity }
  @inline(__always) static func combine(_ acc: Double, _ x: Double) -> Double { MinimumKernel.apply(acc, x) }
}

/// The array seen as (outer, n, inner) around the reduced axis.
struct ReductionLayout {
  var outer: Int
  var n: Int
  var inner: Int
  /// The shape of the result (the array's shape without the reduced axis; [] for everything).
  var resultShape: [Int]
}

extension ArrayOps {
  /// `r` over `axis` (negative counts from the end), or over every element when `axis` is nil
  /// (argmin and argmax then give the flat index). The result has the reduced axis removed.
  public static func reduce(_ r: Reduction, _ a: ArrayValue, axis: Int?) throws(ArrayError) -> ArrayValue {
    try validate(a.shape)
    let layout: ReductionLayout
    if let axis, !(a.shape.isEmpty && (axis == 0 || axis == -1)) {
      // (numpy accepts axis 0 and -1 for a 0-d array, as the whole of it.)
      let d = try normalizedAxis(axis, dimensions: a.shape.count)
      var rest = a.shape
      rest.remove(at: d)
      layout = ReductionLayout(
        outer: a.shape[..<d].reduce(1, *), n: a.shape[d], inner: a.shape[(d + 1)...].reduce(1, *), resultShape: rest)
    } else {
      layout = ReductionLayout(outer: 1, n: a.values.count, inner: 1, resultShape: [])
    }
    _ = try elementCount(layout.resultShape)  // larger than the input only when the reduced axis is empty
    let n = Double(layout.n)
    let values: [Double]
    switch r {
    case .sum: values = sum(a.values, layout)
    case .prod: values = fold(ProdFold.self, a.values, layout, fromFirst: false)
    case .any: values = fold(AnyFold.self, a.values, layout, fromFirst: false)
    case .all: values = fold(AllFold.self, a.values, layout, fromFirst: false)
    case .mean: values = sum(a.values, layout).map { $0 / n }
    case .variance: values = variance(a.values, layout)
    case .std: values = variance(a.values, layout).map { $0.squareRoot() }
    case .max, .min:
      if layout.n == 0 { throw .emptyReduction(operation: r.rawValue) }
      values =
        r == .max ? fold(MaxFold.self, a.values, layout, fromFirst: true) : fold(MinFold.self, a.values, layout, fromFirst: true)
    case .argmax, .argmin:
      if layout.n == 0 { throw .emptyReduction(operation: r.rawValue) }
      values = argExtreme(a.values, layout, largest: r == .argmax)
    }
    return ArrayValue(shape: layout.resultShape, values: values)
  }

  /// Sums in numpy's order (see the file header).
  static func sum(_ a: [Double], _ l: ReductionLayout) -> [Double] {
    if l.inner != 1 { return fold(SumFold.self, a, l, fromFirst: false) }
    return [Double](unsafeUninitializedCapacity: l.outer) { out, initialized in
      a.withUnsafeBufferPointer { x in
        for o in 0..<l.outer { out[o] = l.n == 0 ? 0 : 0 + pairwiseSum(x.baseAddress! + o * l.n, l.n) }
      }
      initialized = l.outer
    }
  }

  /// numpy's pairwise summation of `n` contiguous values.
  static func pairwiseSum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    if n < 8 {
      var s = 0.0
      for i in 0..<n { s += a[i] }
      return s
    }
    if n <= 128 {
      var r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7]
      var i = 8
      let end = n - n % 8
      while i < end {
        r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3]
        r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7]
        i += 8
      }
      var s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
      while i < n {
        s += a[i]
        i += 1
      }
      return s
    }
    var half = n / 2
    half -= half % 8
    return pairwiseSum(a, half) + pairwiseSum(a + half, n - half)
  }

  /// Folds each (outer, ·, inner) column with `K`, starting from `K.identity` or from the first row.
  static func fold<K: FoldKernel>(_: K.Type, _ a: [Double], _ l: ReductionLayout, fromFirst: Bool) -> [Double] {
    let count = l.outer * l.inner
    var out = [Double](repeating: K.identity, count: count)
    if count == 0 || l.n == 0 { return out }
    out.withUnsafeMutableBufferPointer { acc in
      a.withUnsafeBufferPointer { x in
        for o in 0..<l.outer {
          let base = x.baseAddress! + o * l.n * l.inner
          let row = acc.baseAddress! + o * l.inner
          if l.inner == 1 {
            // One contiguous run: fold in a register.
            var value = fromFirst ? base[0] : K.identity
            for k in (fromFirst ? 1 : 0)..<l.n { value = K.combine(value, base[k]) }
            row[0] = value
            continue
          }
          var k = 0
          if fromFirst && l.n > 0 {
            row.update(from: base, count: l.inner)
            k = 1
          }
          while k < l.n {
            let src = base + k * l.inner
            for j in 0..<l.inner { row[j] = K.combine(row[j], src[j]) }
            k += 1
          }
        }
      }
    }
    return out
  }

  /// numpy's var with ddof 0: the mean (sum / n), the squared deviations, their sum / n.
  static func variance(_ a: [Double], _ l: ReductionLayout) -> [Double] {
    let n = Double(l.n)
    let means = sum(a, l).map { $0 / n }
    var squares = [Double](repeating: 0, count: a.count)
    squares.withUnsafeMutableBufferPointer { sq in
      a.withUnsafeBufferPointer { x in
        means.withUnsafeBufferPointer { m in
          for o in 0..<l.outer {
            for k in 0..<l.n {
              let at = (o * l.n + k) * l.inner
              for j in 0..<l.inner {
                let d = x[at + j] - m[o * l.inner + j]
                sq[at + j] = d * d
              }
            }
          }
        }
      }
    }
    return sum(squares, l).map { $0 / n }
  }

  /// The position along the axis of the first largest (or smallest) element, or of the first nan.
  static func argExtreme(_ a: [Double], _ l: ReductionLayout, largest: Bool) -> [Double] {
    let count = l.outer * l.inner
    var best = [Double](repeating: 0, count: count)
    var where_ = [Int](repeating: 0, count: count)
    a.withUnsafeBufferPointer { x in
      for o in 0..<l.outer {
        let base = o * l.n * l.inner, row = o * l.inner
        for j in 0..<l.inner { best[row + j] = x[base + j] }
        for k in 1..<Swift.max(l.n, 1) {
          let src = base + k * l.inner
          for j in 0..<l.inner {
            let b = best[row + j], v = x[src + j]
            if b.isNaN { continue }
            if v.isNaN || (largest ? v > b : v < b) {
              best[row + j] = v
              where_[row + j] = k
            }
          }
        }
      }
    }
    return where_.map(Double.init)
  }
}
