// Operations on shapes: reshape, transpose, concatenate, stack, squeeze, expand_dims, flatten.
// Reshaping and squeezing only relabel row-major storage; transposing copies through permuted
// strides; joining copies each operand's contiguous blocks.

extension ArrayOps {
  /// `np.reshape(a, shape)`: the same elements in row-major order under a new shape; one dimension
  /// may be -1 (inferred).
  public static func reshape(_ a: ArrayValue, _ shape: [Int]) throws(ArrayError) -> ArrayValue {
    let unknown = shape.indices.filter { shape[$0] == -1 }
    if unknown.count > 1 { throw .invalidArgument("reshape: only one dimension can be -1 (inferred)") }
    if let bad = shape.first(where: { $0 < -1 }) {
      throw .invalidArgument("reshape: negative dimensions are not allowed (got \(bad) in \(Format.shape(shape)))")
    }
    var known = 1
    for d in shape where d != -1 {
      let (p, overflow) = known.multipliedReportingOverflow(by: d)
      if overflow { throw .cannotReshape(from: a.shape, to: shape) }
      known = p
    }
    var result = shape
    if let u = unknown.first {
      guard known != 0 && a.values.count % known == 0 else { throw .cannotReshape(from: a.shape, to: shape) }
      result[u] = a.values.count / known
    } else if known != a.values.count {
      throw .cannotReshape(from: a.shape, to: shape)
    }
    return ArrayValue(shape: result, values: a.values)
  }

  /// `np.transpose(a, axes)`: the axes permuted (result axis i is `a`'s axis `axes[i]`, negatives
  /// allowed); nil reverses them (`a.T`).
  public static func transpose(_ a: ArrayValue, axes: [Int]? = nil) throws(ArrayError) -> ArrayValue {
    try validate(a.shape)
    let rank = a.shape.count
    var perm: [Int] = Array((0..<rank).reversed())
    if let axes {
      guard axes.count == rank else {
        throw .invalidArgument("transpose: \(axes.count) axes given for an array of dimension \(rank)")
      }
      perm = []
      for axis in axes { perm.append(try normalizedAxis(axis, dimensions: rank)) }
      if Set(perm).count != rank { throw .invalidArgument("transpose: repeated axis in \(Format.shape(axes))") }
    }
    let strides = contiguousStrides(a.shape)
    let shape = perm.map { a.shape[$0] }
    return ArrayValue(
      shape: shape,
      values: gather(a.values, offset: 0, shape: shape, strides: perm.map { strides[$0] }, count: a.values.count))
  }

  /// `np.concatenate(arrays, axis)`: the arrays joined along an existing axis (all other dimensions
  /// equal); axis nil joins them flattened.
  public static func concatenate(_ arrays: [ArrayValue], axis: Int? = 0) throws(ArrayError) -> ArrayValue {
    guard let first = arrays.first else { throw .invalidArgument("concatenate: need at least one array") }
    guard let axis else {
      var flat: [ArrayValue] = []
      for a in arrays { flat.append(flatten(a)) }
      return try concatenate(flat, axis: 0)
    }
    for a in arrays { try validate(a.shape) }
    let rank = first.shape.count
    if rank == 0 { throw .invalidArgument("concatenate: 0-d arrays (scalars) cannot be concatenated") }
    let d = try normalizedAxis(axis, dimensions: rank)
    var total = 0
    for a in arrays {
      var x = a.shape, y = first.shape
      guard x.count == rank else { throw .shapesDoNotMatch(operation: "concatenate", first.shape, a.shape) }
      x[d] = 0
      y[d] = 0
      guard x == y else { throw .shapesDoNotMatch(operation: "concatenate", first.shape, a.shape) }
      let (sum, overflow) = total.addingReportingOverflow(a.shape[d])
      if overflow { throw .tooLarge(elements: .max, limit: maximumElements) }
      total = sum
    }
    var shape = first.shape
    shape[d] = total
    let count = try elementCount(shape)
    let outer = first.shape[..<d].reduce(1, *), inner = first.shape[(d + 1)...].reduce(1, *)
    var values: [Double] = []
    values.reserveCapacity(count)
    for o in 0..<outer {
      for a in arrays {
        let block = a.shape[d] * inner
        values.append(contentsOf: a.values[(o * block)..<((o + 1) * block)])
      }
    }
    return ArrayValue(shape: shape, values: values)
  }

  /// `np.stack(arrays, axis)`: arrays of one shape joined along a new axis (`axis` in
  /// `-(rank+1)...rank`).
  public static func stack(_ arrays: [ArrayValue], axis: Int = 0) throws(ArrayError) -> ArrayValue {
    guard let first = arrays.first else { throw .invalidArgument("stack: need at least one array") }
    for a in arrays where a.shape != first.shape {
      throw .shapesDoNotMatch(operation: "stack", first.shape, a.shape)
    }
    let d = try normalizedAxis(axis, dimensions: first.shape.count + 1)
    var expanded: [ArrayValue] = []
    for a in arrays { expanded.append(try expandDims(a, axis: d)) }
    return try concatenate(expanded, axis: d)
  }

  /// `np.squeeze(a, axis)`: length-1 axes removed (all of them, or just `axis`, which must have length 1).
  public static func squeeze(_ a: ArrayValue, axis: Int? = nil) throws(ArrayError) -> ArrayValue {
    guard let axis else { return ArrayValue(shape: a.shape.filter { $0 != 1 }, values: a.values) }
    if a.shape.isEmpty && (axis == 0 || axis == -1) { return a }  // numpy accepts these for a 0-d array
    let d = try normalizedAxis(axis, dimensions: a.shape.count)
    guard a.shape[d] == 1 else {
      throw .invalidArgument("squeeze: axis \(axis) has length \(a.shape[d]), not 1, so cannot be squeezed out")
    }
    var shape = a.shape
    shape.remove(at: d)
    return ArrayValue(shape: shape, values: a.values)
  }

  /// `np.expand_dims(a, axis)`: a new length-1 axis at `axis` (in `-(rank+1)...rank`).
  public static func expandDims(_ a: ArrayValue, axis: Int) throws(ArrayError) -> ArrayValue {
    let d = try normalizedAxis(axis, dimensions: a.shape.count + 1)
    var shape = a.shape
    shape.insert(1, at: d)
    return ArrayValue(shape: shape, values: a.values)
  }

  /// `a.flatten()`: the elements as a 1-D array, row-major.
  public static func flatten(_ a: ArrayValue) -> ArrayValue {
    ArrayValue(shape: [a.values.count], values: a.values)
  }
}
