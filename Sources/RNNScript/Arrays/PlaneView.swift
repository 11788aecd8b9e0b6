// The commonest subscript, resolved without allocating: whole numbers and slices on an array of
// one or two axes (`x[:, d]`, `w[0:10, 0:10]`, `v[3]`, `y[5:]`). A task's trial function indexes
// like this a few times per trial, and the general resolution (Indexing.swift: an index list,
// strides, a strided walk) costs more than copying the 200 elements it selects. Anything else
// (lists, masks, None, ..., more axes) goes the general way; tests compare the two.

/// At most two strided axes over an array's storage: `outer` × `inner` elements from `offset`.
struct PlaneView {
  /// Offset of the first selected element.
  var offset = 0
  /// How many axes the result has: 0 (one element), 1 or 2.
  var rank = 0
  /// The result's first axis when it has two (else one element, stride 0).
  var outer = (count: 1, stride: 0)
  /// The result's last axis when it has one or two (else one element, stride 0).
  var inner = (count: 1, stride: 0)

  /// `idx` resolved on an array of `shape`, or nil when it is not a basic subscript of a 1-D or
  /// 2-D array. Throws what the general resolution throws for a bad position or slice.
  init?(_ shape: [Int], _ idx: [ArrayIndex]) throws(ArrayError) {
    let dimensions = shape.count
    guard dimensions == 1 || dimensions == 2, idx.count <= dimensions else { return nil }
    for axis in 0..<dimensions {
      let size = shape[axis]
      let stride = axis == dimensions - 1 ? 1 : Swift.max(shape[1], 1)
      switch axis < idx.count ? idx[axis] : ArrayIndex.all {
      case .index(let i):
        offset += try ArrayOps.position(i, axis: axis, size: size) * stride
      case .slice(let start, let stop, let step):
        let b = try ArrayOps.sliceBounds(start: start, stop: stop, step: step, size: size)
        if b.count > 0 { offset += b.start * stride }
        if rank == 1 { outer = inner }
        inner = (b.count, b.count > 1 ? b.step * stride : 0)
        rank += 1
      default:
        return nil
      }
    }
  }

  /// The result's shape.
  var shape: [Int] {
    switch rank {
    case 0: return []
    case 1: return [inner.count]
    default: return [outer.count, inner.count]
    }
  }

  var count: Int { outer.count * inner.count }

  /// The selected elements of `source` as a new array.
  func gather(_ source: [Double]) -> ArrayValue {
    let count = count
    let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
      source.withUnsafeBufferPointer { src in
        guard count > 0, let base = src.baseAddress else { return }
        for i in 0..<outer.count {
          let from = base + offset + i * outer.stride, to = out.baseAddress! + i * inner.count
          if inner.stride == 1 {
            to.initialize(from: from, count: inner.count)
          } else {
            for j in 0..<inner.count { (to + j).initialize(to: from[j * inner.stride]) }
          }
        }
      }
      initialized = count
    }
    return ArrayValue(shape: shape, values: values)
  }

  /// Writes `value` into the selection of `target` when it is one element with no more axes than
  /// the selection, or exactly the selection's shape; false (nothing written) for any other value,
  /// which the general assignment broadcasts or refuses.
  func scatter(_ value: ArrayValue, into target: inout [Double]) -> Bool {
    let single = value.values.count == 1 && value.shape.count <= rank
    guard single || value.shape == shape else { return false }
    if count == 0 { return true }
    target.withUnsafeMutableBufferPointer { dst in
      value.values.withUnsafeBufferPointer { src in
        for i in 0..<outer.count {
          let to = dst.baseAddress! + offset + i * outer.stride
          if single {
            let v = src[0]
            for j in 0..<inner.count { to[j * inner.stride] = v }
          } else {
            let from = src.baseAddress! + i * inner.count
            for j in 0..<inner.count { to[j * inner.stride] = from[j] }
          }
        }
      }
    }
    return true
  }
}
