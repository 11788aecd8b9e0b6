// The pieces every backward rule is made of: summing an adjoint back over the axes broadcasting
// stretched, spreading a reduced adjoint back over the reduced axis, and one-pass loops over
// arrays of equal shape (each loop body is inlined into its caller: no closure call per element).

import Foundation

enum GradientKernels {
  /// g (of a broadcast result's shape) summed down to `shape`, the operand's: over the leading
  /// axes broadcasting added and over the axes where the operand had length 1.
  static func unbroadcast(_ g: ArrayValue, to shape: [Int]) throws -> ArrayValue {
    if g.shape == shape { return g }
    if shape.reduce(1, *) == 1 {
      return ArrayValue(shape: shape, values: [sum(g.values)])
    }
    var r = g
    for _ in 0..<(g.shape.count - shape.count) { r = try ArrayOps.reduce(.sum, r, axis: 0) }
    for (i, d) in shape.enumerated() where d == 1 && r.shape[i] != 1 {
      var kept = r.shape
      kept[i] = 1
      r = try ArrayOps.reshape(try ArrayOps.reduce(.sum, r, axis: i), kept)
    }
    r.mark = nil
    return r
  }

  /// g, the adjoint of a reduction of an array of `shape` over `axis` (nil: every axis), spread
  /// back to `shape` (each element gets its slice's adjoint).
  static func spread(_ g: ArrayValue, over axis: Int?, to shape: [Int]) throws -> ArrayValue {
    var kept = shape
    if let axis { kept[axis] = 1 } else { kept = [Int](repeating: 1, count: shape.count) }
    return try ArrayOps.broadcast(try ArrayOps.reshape(g, kept), to: shape)
  }

  /// The geometry of a reduction over `axis` of an array of `shape`: element (o, i, j) of the
  /// (outer, n, inner) view sits at o·n·inner + i·inner + j; nil axis is one axis of everything.
  static func slices(_ shape: [Int], axis: Int?) -> (outer: Int, n: Int, inner: Int) {
    guard let axis else { return (1, shape.reduce(1, *), 1) }
    return (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  /// `a` as an array of `shape` (broadcast when it is not already).
  static func expanded(_ a: ArrayValue, to shape: [Int]) throws -> ArrayValue {
    a.shape == shape ? a : try ArrayOps.broadcast(a, to: shape)
  }

  /// An array of `shape` whose element i is body(i), in one pass.
  @inline(__always)
  static func map(_ shape: [Int], _ body: (Int) -> Double) -> ArrayValue {
    let n = shape.reduce(1, *)
    let values = [Double](unsafeUninitializedCapacity: n) { out, initialized in
      for i in 0..<n { out[i] = body(i) }
      initialized = n
    }
    return ArrayValue(shape: shape, values: values)
  }

  /// Σ values, in order.
  static func sum(_ values: [Double]) -> Double {
    var s = 0.0
    for v in values { s += v }
    return s
  }

  /// s·g, elementwise.
  static func scaled(_ g: ArrayValue, _ s: Double) -> ArrayValue {
    g.values.withUnsafeBufferPointer { x in map(g.shape) { s * x[$0] } }
  }
}
