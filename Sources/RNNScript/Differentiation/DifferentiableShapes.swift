// Operations that move elements, on the tape, forward beside backward, and the matrix product:
//
//   reshape: g reshaped back            transpose(axes): g transposed by the inverse permutation
//   concatenate, stack: g cut into the operands' pieces
//   a[idx]: g added into zeros at the elements idx selected (repeats add up). Which elements
//     those are comes from indexing the positions 0 … n−1 by the same idx, so every index numpy
//     allows (slices, integers, lists, masks, newaxis, ellipsis) has the one exact rule.
//   a @ b: g·bᵀ and aᵀ·g on the last two axes (1-D operands promoted as numpy promotes them),
//     summed over broadcast batch axes

extension Tape {
  /// `np.reshape(a, shape)`, recorded.
  func reshape(_ a: ArrayValue, _ shape: [Int]) throws -> ArrayValue {
    let y = try ArrayOps.reshape(a, shape)
    return record(y, from: [a]) { g in [try ArrayOps.reshape(g, a.shape)] }
  }

  /// `np.transpose(a, axes)`, recorded.
  func transpose(_ a: ArrayValue, axes: [Int]?) throws -> ArrayValue {
    let y = try ArrayOps.transpose(a, axes: axes)
    let d = a.shape.count
    var inverse: [Int]? = nil
    if let axes {
      var inv = [Int](repeating: 0, count: d)
      for (i, p) in axes.enumerated() { inv[p < 0 ? p + d : p] = i }
      inverse = inv
    }
    return record(y, from: [a]) { g in [try ArrayOps.transpose(g, axes: inverse)] }
  }

  /// `np.concatenate(arrays, axis)`, recorded (axis nil joins them flattened).
  func concatenate(_ arrays: [ArrayValue], axis: Int?) throws -> ArrayValue {
    let y = try ArrayOps.concatenate(arrays, axis: axis)
    let k = try axis.map { try ArrayOps.normalizedAxis($0, dimensions: arrays.first?.shape.count ?? 1) }
    return record(y, from: arrays) { g in
      var offset = 0
      return try arrays.map { a in
        let length = k.map { a.shape[$0] } ?? a.values.count
        defer { offset += length }
        let piece = try ArrayOps.subscript(
          get: g, [ArrayIndex](repeating: .all, count: k ?? 0) + [.slice(start: offset, stop: offset + length, step: 1)])
        return try ArrayOps.reshape(piece, a.shape)
      }
    }
  }

  /// `np.stack(arrays, axis)`, recorded.
  func stack(_ arrays: [ArrayValue], axis: Int) throws -> ArrayValue {
    let y = try ArrayOps.stack(arrays, axis: axis)
    let k = try ArrayOps.normalizedAxis(axis, dimensions: y.shape.count)
    return record(y, from: arrays) { g in
      try arrays.indices.map { i in
        try ArrayOps.subscript(get: g, [ArrayIndex](repeating: .all, count: k) + [.index(i)])
      }
    }
  }

  /// `a[idx]`, recorded.
  func index(_ a: ArrayValue, _ idx: [ArrayIndex]) throws -> ArrayValue {
    let y = try ArrayOps.subscript(get: a, idx)
    guard tracks(a) else { return record(y, from: []) { _ in [] } }
    let n = a.values.count
    let positions = try ArrayOps.subscript(
      get: ArrayValue(shape: a.shape, values: (0..<n).map { Double($0) }), idx)
    return record(y, from: [a]) { g in
      var out = [Double](repeating: 0, count: n)
      for (j, p) in positions.values.enumerated() { out[Int(p)] += g.values[j] }
      return [ArrayValue(shape: a.shape, values: out)]
    }
  }

  /// `a @ b` (numpy's matmul), recorded.
  func matmul(_ a: ArrayValue, _ b: ArrayValue) throws -> ArrayValue {
    let y = try ArrayOps.matmul(a, b)
    let (ta, tb) = (tracks(a), tracks(b))
    return record(y, from: [a, b]) { g in
      let a2 = a.shape.count == 1 ? try ArrayOps.reshape(a, [1, a.shape[0]]) : a
      let b2 = b.shape.count == 1 ? try ArrayOps.reshape(b, [b.shape[0], 1]) : b
      // g with the axes a 1-D operand lost put back: (batch…, m, n).
      var gShape = y.shape
      if a.shape.count == 1 { gShape.insert(1, at: b.shape.count == 1 ? gShape.count : gShape.count - 1) }
      if b.shape.count == 1 { gShape.append(1) }
      let g2 = try ArrayOps.reshape(g, gShape)
      func swapped(_ x: ArrayValue) throws -> ArrayValue {
        let d = x.shape.count
        return try ArrayOps.transpose(x, axes: Array(0..<(d - 2)) + [d - 1, d - 2])
      }
      let da: ArrayValue? =
        ta
        ? try ArrayOps.reshape(GradientKernels.unbroadcast(try ArrayOps.matmul(g2, try swapped(b2)), to: a2.shape), a.shape) : nil
      let db: ArrayValue? =
        tb
        ? try ArrayOps.reshape(GradientKernels.unbroadcast(try ArrayOps.matmul(try swapped(a2), g2), to: b2.shape), b.shape) : nil
      return [da, db]
    }
  }
}
