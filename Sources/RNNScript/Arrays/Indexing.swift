// numpy indexing: `a[i, 2:5, ::-1, None, ...]` (basic indexing: a strided view, copied), plus one
// advanced index (an integer list or a boolean mask) per subscript, for reading and for assigning.
//
// A subscript is resolved into a `Selection`: a base offset, the output's strided dimensions, and
// for an advanced index the list of offsets it gathers and where its dimension goes in the
// result. numpy's placement rule is followed: when the advanced index (together with any integer
// indices, which then count as advanced too) is one adjacent group, its dimension replaces the
// group in place; when basic indices separate them, its dimension comes first.

/// One entry of a subscript.
public enum ArrayIndex: Sendable, Equatable {
  /// One position on an axis (negative counts from the end); the axis is dropped.
  case index(Int)
  /// `start:stop:step` on an axis, Python's clamping rules; nil parts take their defaults.
  case slice(start: Int?, stop: Int?, step: Int?)
  /// An integer array on one axis (`a[[0, 2, 2]]`), negatives counting from the end.
  case indices([Int])
  /// A boolean (0/1) array covering as many axes as it has, from the current one (`a[a > 0]`).
  case mask(ArrayValue)
  /// `None` / `np.newaxis`: a new axis of length 1.
  case newAxis
  /// `...`: as many full slices as needed (at most one per subscript).
  case ellipsis

  /// `:`, the whole axis.
  public static let all = ArrayIndex.slice(start: nil, stop: nil, step: nil)
}

/// A resolved subscript: where each result element lives in the indexed array's storage.
struct Selection {
  /// Offset of the first selected element (before the advanced offsets).
  var offset = 0
  /// The basic (strided) dimensions of the result, in order, without the advanced one.
  var sizes: [Int] = []
  /// The storage strides of `sizes`.
  var strides: [Int] = []
  /// For an advanced index: the offsets it selects, and the result axis it occupies.
  var advanced: (offsets: [Int], position: Int)?

  /// The result's shape.
  var shape: [Int] {
    guard let advanced else { return sizes }
    var s = sizes
    s.insert(advanced.offsets.count, at: advanced.position)
    return s
  }
}

extension ArrayOps {
  /// `a[idx]` as numpy: a new array holding the selected elements (all-integer subscripts give a
  /// 0-d array; a boolean mask of `a`'s shape gives the selected elements as a 1-D array).
  public static func `subscript`(get a: ArrayValue, _ idx: [ArrayIndex]) throws(ArrayError) -> ArrayValue {
    if let view = try PlaneView(a.shape, idx) { return view.gather(a.values) }
    return try generalSubscript(get: a, idx)
  }

  /// `subscript(get:)` by the general resolution (`select`), for every subscript; the plane view
  /// above is its shortcut, and tests compare the two.
  static func generalSubscript(get a: ArrayValue, _ idx: [ArrayIndex]) throws(ArrayError) -> ArrayValue {
    let selection = try select(a.shape, idx)
    let shape = selection.shape
    let count = try elementCount(shape)
    guard let advanced = selection.advanced else {
      return ArrayValue(
        shape: shape,
        values: gather(a.values, offset: selection.offset, shape: selection.sizes, strides: selection.strides, count: count))
    }
    // One strided copy of the basic dimensions per advanced position (a plain loop when the basic
    // dimensions merge into a single run, as for a mask or a list on the last axes).
    let outStrides = contiguousStrides(shape)
    var basicOut = outStrides
    let step = basicOut.remove(at: advanced.position)
    let walk = StridedWalk(shape: selection.sizes, strides: [basicOut, selection.strides])
    let run = walk.runLength, ds = walk.runStride(0), ss = walk.runStride(1)
    let values = [Double](unsafeUninitializedCapacity: count) { out, initialized in
      a.values.withUnsafeBufferPointer { src in
        advanced.offsets.withUnsafeBufferPointer { offsets in
          if walk.isEmpty || offsets.isEmpty { return }
          let source = src.baseAddress! + selection.offset
          if walk.shape.count <= 1 {
            for g in offsets.indices {
              let to = out.baseAddress! + g * step, from = source + offsets[g]
              for i in 0..<run { to[i * ds] = from[i * ss] }
            }
            return
          }
          for g in offsets.indices {
            walk.forEachRun(base: [g * step, offsets[g]]) { o in
              let to = out.baseAddress! + o[0], from = source + o[1]
              for i in 0..<run { to[i * ds] = from[i * ss] }
            }
          }
        }
      }
      initialized = count
    }
    return ArrayValue(shape: shape, values: values)
  }

  /// `a[idx] = value` as numpy: `value` is broadcast to the selection's shape (`w[0:10, 0:10] = 0`,
  /// `x[mask] = 0`). With repeated integer indices the last write wins.
  public static func `subscript`(set a: inout ArrayValue, _ idx: [ArrayIndex], to value: ArrayValue) throws(ArrayError) {
    if let view = try PlaneView(a.shape, idx), view.scatter(value, into: &a.values) { return }
    try generalSubscript(set: &a, idx, to: value)
  }

  /// `subscript(set:)` by the general resolution, for every subscript and value shape.
  static func generalSubscript(set a: inout ArrayValue, _ idx: [ArrayIndex], to value: ArrayValue) throws(ArrayError) {
    let selection = try select(a.shape, idx)
    let shape = selection.shape
    // numpy lets the value carry extra leading length-1 axes.
    var valueShape = value.shape
    while valueShape.count > shape.count && valueShape.first == 1 { valueShape.removeFirst() }
    let joint = try broadcastShape(valueShape, shape, operation: "assignment")
    guard joint == shape else { throw .shapesDoNotBroadcast(operation: "assignment", value.shape, shape) }
    let valueStrides = broadcastStrides(valueShape, to: shape)
    guard let advanced = selection.advanced else {
      scatter(
        value.values, sourceOffset: 0, sourceStrides: valueStrides, into: &a.values, targetOffset: selection.offset,
        targetStrides: selection.strides, shape: selection.sizes)
      return
    }
    var basicValue = valueStrides
    let step = basicValue.remove(at: advanced.position)
    let walk = StridedWalk(shape: selection.sizes, strides: [selection.strides, basicValue])
    if walk.isEmpty || advanced.offsets.isEmpty { return }
    let run = walk.runLength, ts = walk.runStride(0), vs = walk.runStride(1)
    a.values.withUnsafeMutableBufferPointer { dst in
      value.values.withUnsafeBufferPointer { src in
        advanced.offsets.withUnsafeBufferPointer { offsets in
          let target = dst.baseAddress! + selection.offset
          if walk.shape.count <= 1 {
            for g in offsets.indices {
              let to = target + offsets[g], from = src.baseAddress! + g * step
              for i in 0..<run { to[i * ts] = from[i * vs] }
            }
            return
          }
          for g in offsets.indices {
            walk.forEachRun(base: [offsets[g], g * step]) { o in
              let to = target + o[0], from = src.baseAddress! + o[1]
              for i in 0..<run { to[i * ts] = from[i * vs] }
            }
          }
        }
      }
    }
  }

  /// The first element of `Python slice.indices`: the first position, the number of positions and
  /// the step of `start:stop:step` on an axis of `size`.
  static func sliceBounds(
    start: Int?, stop: Int?, step: Int?, size n: Int
  ) throws(ArrayError) -> (
    start: Int, count: Int, step: Int
  ) {
    let step = step ?? 1
    guard step != 0 else { throw .invalidArgument("slice step cannot be zero") }
    if step > 0 {
      func clamp(_ i: Int) -> Int { i < 0 ? Swift.max(i + n, 0) : Swift.min(i, n) }
      let lo = clamp(start ?? 0), hi = clamp(stop ?? n)
      return (lo, hi > lo ? (hi - lo - 1) / step + 1 : 0, step)
    }
    func clamp(_ i: Int) -> Int { i < 0 ? Swift.max(i + n, -1) : Swift.min(i, n - 1) }
    let lo = start.map(clamp) ?? n - 1, hi = stop.map(clamp) ?? -1
    return (lo, lo > hi ? Int(UInt(lo - hi - 1) / step.magnitude) + 1 : 0, step)
  }

  /// Resolves a subscript against an array of `shape`.
  static func select(_ shape: [Int], _ idx: [ArrayIndex]) throws(ArrayError) -> Selection {
    try validate(shape)
    let rank = shape.count
    let strides = contiguousStrides(shape)
    // Expand `...` (or the implicit trailing one) into full slices.
    var consumed = 0, ellipses = 0, arrays = 0
    for item in idx {
      switch item {
      case .index, .slice, .indices: consumed += 1
      case .mask(let m): consumed += m.shape.count
      case .newAxis: break
      case .ellipsis: ellipses += 1
      }
      if case .indices = item { arrays += 1 }
      if case .mask = item { arrays += 1 }
    }
    if ellipses > 1 { throw .invalidArgument("an index can only have a single ellipsis ('...')") }
    if consumed > rank { throw .tooManyIndices(given: consumed, dimensions: rank) }
    if arrays > 1 {
      throw .invalidArgument(
        "only one integer-array or boolean-mask index is supported in a subscript; index one axis at a time")
    }
    var items: [ArrayIndex] = []
    let fill = [ArrayIndex](repeating: .all, count: rank - consumed)
    for item in idx {
      if case .ellipsis = item { items += fill } else { items.append(item) }
    }
    if ellipses == 0 { items += fill }

    // Where the advanced dimension goes: in place if the advanced index and the integer indices form
    // one adjacent group, else first.
    var advancedPosition = 0
    if arrays == 1 {
      let grouped = items.indices.filter { i in
        switch items[i] {
        case .index, .indices, .mask: return true
        default: return false
        }
      }
      if grouped.last! - grouped.first! + 1 == grouped.count {
        advancedPosition = items[..<grouped.first!].reduce(0) { n, item in
          if case .index = item { return n }
          return n + 1
        }
      }
    }

    var selection = Selection()
    var axis = 0
    for item in items {
      switch item {
      case .index(let i):
        selection.offset += try position(i, axis: axis, size: shape[axis]) * strides[axis]
        axis += 1
      case .slice(let start, let stop, let step):
        let b = try sliceBounds(start: start, stop: stop, step: step, size: shape[axis])
        if b.count > 0 { selection.offset += b.start * strides[axis] }
        selection.sizes.append(b.count)
        selection.strides.append(b.count > 1 ? b.step * strides[axis] : 0)
        axis += 1
      case .newAxis:
        selection.sizes.append(1)
        selection.strides.append(0)
      case .indices(let list):
        var offsets = [Int]()
        offsets.reserveCapacity(list.count)
        for i in list { offsets.append(try position(i, axis: axis, size: shape[axis]) * strides[axis]) }
        selection.advanced = (offsets, advancedPosition)
        axis += 1
      case .mask(let m):
        let covered = Array(shape[axis..<(axis + m.shape.count)])
        if let bad = covered.indices.first(where: { covered[$0] != m.shape[$0] }) {
          throw .maskShapeMismatch(mask: m.shape, array: shape, axis: axis + bad)
        }
        // The mask's axes are contiguous in the array: element `flat` of the mask is `flat` steps
        // of the last masked axis's stride. Written without branches on the mask's values (a
        // random mask would mispredict every other element): each position is stored, and kept
        // by advancing the count when the value is 1; v·(v − 1) is 0 only for 0 and 1.
        let unit = m.shape.isEmpty ? 0 : strides[axis + m.shape.count - 1]
        var invalid = 0
        let offsets = [Int](unsafeUninitializedCapacity: m.values.count) { out, kept in
          var k = 0
          m.values.withUnsafeBufferPointer { v in
            for flat in v.indices {
              let x = v[flat]
              invalid &+= x * (x - 1) != 0 ? 1 : 0
              out[k] = flat &* unit
              k &+= x == 1 ? 1 : 0
            }
          }
          kept = k
        }
        if invalid > 0 { throw .invalidArgument("a boolean mask must hold only 0 and 1 (false and true)") }
        selection.advanced = (offsets, advancedPosition)
        axis += m.shape.count
      case .ellipsis:
        break  // expanded above
      }
    }
    return selection
  }

  /// An integer index on an axis of `size` as a position in `0..<size`, negatives counting from the end.
  static func position(_ i: Int, axis: Int, size: Int) throws(ArrayError) -> Int {
    guard i >= -size && i < size else { throw .indexOutOfRange(index: i, axis: axis, size: size) }
    return i < 0 ? i + size : i
  }
}
