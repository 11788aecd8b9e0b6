// numpy's broadcasting rule: shapes are aligned at their last dimension; two dimensions are
// compatible when equal or when one is 1 (missing leading dimensions count as 1). A broadcast
// operand is read with stride 0 along the dimensions it is stretched over, never copied.

extension ArrayOps {
  /// The shape `a` and `b` broadcast to, or `.shapesDoNotBroadcast(operation:…)`.
  public static func broadcastShape(_ a: [Int], _ b: [Int], operation: String) throws(ArrayError) -> [Int] {
    let rank = Swift.max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if da == db || db == 1 {
        result[i] = da
      } else if da == 1 {
        result[i] = db
      } else {
        throw .shapesDoNotBroadcast(operation: operation, a, b)
      }
    }
    return result
  }

  /// The strides with which an array of `shape` is read when broadcast to `target` (which must be a
  /// broadcast of it): row-major strides, 0 where the array is stretched or the dimension is missing.
  static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let lead = target.count - shape.count
    return target.indices.map { i in
      i < lead || shape[i - lead] == 1 ? 0 : own[i - lead]
    }
  }

  /// `a` stretched to `shape` (numpy `broadcast_to`, materialized), or `.shapesDoNotBroadcast`.
  public static func broadcast(_ a: ArrayValue, to shape: [Int]) throws(ArrayError) -> ArrayValue {
    let result = try broadcastShape(a.shape, shape, operation: "broadcast_to")
    guard result == shape else { throw .shapesDoNotBroadcast(operation: "broadcast_to", a.shape, shape) }
    let count = try elementCount(shape)
    if shape == a.shape { return a }
    if a.values.count == 1 { return ArrayValue(shape: shape, values: [Double](repeating: a.values[0], count: count)) }
    if shape.count == 2 && a.shape.count <= 2 {
      // Rows or columns stretched over a matrix (a mask N × 1 over N × k): two plain loops.
      let strides = broadcastStrides(a.shape, to: shape), rows = shape[0], cols = shape[1]
      let rowStride = strides[0], colStride = strides[1]
      let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
        a.values.withUnsafeBufferPointer { src in
          guard count > 0 else { return }
          for i in 0..<rows {
            let from = src.baseAddress! + i * rowStride, to = out.baseAddress! + i * cols
            for j in 0..<cols { (to + j).initialize(to: from[j * colStride]) }
          }
        }
        initialized = count
      }
      return ArrayValue(shape: shape, values: values)
    }
    return ArrayValue(
      shape: shape, values: gather(a.values, offset: 0, shape: shape, strides: broadcastStrides(a.shape, to: shape), count: count)
    )
  }
}
