// Reductions on the tape, forward beside backward. Over a slice x_1 … x_n (one axis, or
// everything) with result y and adjoint g:
//
//   sum: g                 mean: g/n                     var: g·2(x_i − x̄)/n
//   std: g·(x_i − x̄)/(n·y), 0 where y = 0                prod: g·Π_{j≠i} x_j (exact with zeros)
//   min, max: g shared equally by the elements equal to y (TensorFlow's rule for ties)
//
// argmin, argmax, any and all are constant: not recorded.

extension Tape {
  /// `r(a, axis:)`, recorded.
  func reduce(_ r: Reduction, _ a: ArrayValue, axis: Int?) throws -> ArrayValue {
    let y = try ArrayOps.reduce(r, a, axis: axis)
    let axis = try axis.map { try ArrayOps.normalizedAxis($0, dimensions: max(a.shape.count, 1)) }
    let ax = a.shape.isEmpty ? nil : axis  // a 0-d array reduces as one element
    typealias K = GradientKernels
    switch r {
    case .sum:
      return record(y, from: [a]) { g in [try K.spread(g, over: ax, to: a.shape)] }
    case .mean:
      let n = Double(K.slices(a.shape, axis: ax).n)
      return record(y, from: [a]) { g in [K.scaled(try K.spread(g, over: ax, to: a.shape), 1 / n)] }
    case .variance, .std:
      return record(y, from: [a]) { g in [try Tape.spreadGradient(r, g, a, y, axis: ax)] }
    case .min, .max, .prod:
      return record(y, from: [a]) { g in [try Tape.sliceGradient(r, g, a, y, axis: ax)] }
    case .argmin, .argmax, .any, .all:
      return y
    }
  }

  /// var and std: the deviations from each slice's mean, scaled.
  private static func spreadGradient(
    _ r: Reduction, _ g: ArrayValue, _ a: ArrayValue, _ y: ArrayValue, axis: Int?
  ) throws -> ArrayValue {
    typealias K = GradientKernels
    let (_, n, _) = K.slices(a.shape, axis: axis)
    let mean = try K.spread(try ArrayOps.reduce(.mean, a, axis: axis), over: axis, to: a.shape)
    let gs = try K.spread(g, over: axis, to: a.shape), ys = try K.spread(y, over: axis, to: a.shape)
    let inv = 1 / Double(n)
    return a.values.withUnsafeBufferPointer { x in
      mean.values.withUnsafeBufferPointer { m in
        gs.values.withUnsafeBufferPointer { gv in
          ys.values.withUnsafeBufferPointer { yv in
            r == .variance
              ? K.map(a.shape) { 2 * gv[$0] * (x[$0] - m[$0]) * inv }
              : K.map(a.shape) { yv[$0] == 0 ? 0 : gv[$0] * (x[$0] - m[$0]) * inv / yv[$0] }
          }
        }
      }
    }
  }

  /// min, max and prod, slice by slice over the (outer, n, inner) view.
  private static func sliceGradient(
    _ r: Reduction, _ g: ArrayValue, _ a: ArrayValue, _ y: ArrayValue, axis: Int?
  ) throws -> ArrayValue {
    let (outer, n, inner) = GradientKernels.slices(a.shape, axis: axis)
    var out = [Double](repeating: 0, count: a.values.count)
    a.values.withUnsafeBufferPointer { x in
      for o in 0..<outer {
        for j in 0..<inner {
          let slice = o * inner + j, base = o * n * inner + j, gj = g.values[slice]
          if r == .prod {
            // Π of the others: prefix products forward, suffix products backward.
            var prefix = 1.0
            for i in 0..<n {
              out[base + i * inner] = prefix
              prefix *= x[base + i * inner]
            }
            var suffix = 1.0
            for i in stride(from: n - 1, through: 0, by: -1) {
              out[base + i * inner] *= suffix * gj
              suffix *= x[base + i * inner]
            }
          } else {
            let extreme = y.values[slice]
            var ties = 0
            for i in 0..<n where x[base + i * inner] == extreme { ties += 1 }
            guard ties > 0 else { continue }  // nan: no element equals it
            let share = gj / Double(ties)
            for i in 0..<n where x[base + i * inner] == extreme { out[base + i * inner] = share }
          }
        }
      }
    }
    return ArrayValue(shape: a.shape, values: out)
  }
}
