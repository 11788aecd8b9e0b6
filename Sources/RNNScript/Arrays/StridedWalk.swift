// Iteration over several strided operands that share one shape: the engine under broadcasting,
// slicing, transposing and assignment. Dimensions are first merged wherever every operand is
// contiguous across them, so same-shape operations become a single run and a broadcast row
// becomes one run per row; the caller's tight loop then handles each run.

/// Several operands (offsets into flat storage, with per-dimension strides in elements) walked in
/// row-major order over a common shape.
struct StridedWalk {
  /// The merged shape (no size-1 dimensions); empty for a single element.
  let shape: [Int]
  /// For each operand, its stride along each merged dimension.
  let strides: [[Int]]
  /// Whether the shape has no elements at all.
  let isEmpty: Bool

  /// A walk over `shape` for operands with `strides` (one stride list per operand, each as long as `shape`).
  init(shape: [Int], strides: [[Int]]) {
    isEmpty = shape.contains(0)
    var mergedShape: [Int] = []
    var merged: [[Int]] = Array(repeating: [], count: strides.count)
    for d in shape.indices where shape[d] != 1 {
      if let last = mergedShape.last,
        strides.indices.allSatisfy({ k in merged[k].last! == strides[k][d] * shape[d] })
      {
        // Dimension d continues the previous one for every operand: fold it in.
        mergedShape[mergedShape.count - 1] = last * shape[d]
        for k in strides.indices { merged[k][merged[k].count - 1] = strides[k][d] }
      } else {
        mergedShape.append(shape[d])
        for k in strides.indices { merged[k].append(strides[k][d]) }
      }
    }
    self.shape = mergedShape
    self.strides = merged
  }

  /// Elements in each run (the innermost merged dimension).
  var runLength: Int { shape.last ?? 1 }

  /// Operand `k`'s stride within a run.
  func runStride(_ k: Int) -> Int { strides[k].last ?? 0 }

  /// Calls `body` once per run with every operand's offset at the run's start (starting from `base`).
  /// Runs come in row-major order of the outer dimensions.
  func forEachRun(base: [Int], _ body: ([Int]) -> Void) {
    if isEmpty { return }
    var offsets = base
    let outer = shape.count - 1
    if outer <= 0 {
      body(offsets)
      return
    }
    var counter = [Int](repeating: 0, count: outer)
    while true {
      body(offsets)
      var d = outer - 1
      while true {
        counter[d] += 1
        for k in offsets.indices { offsets[k] += strides[k][d] }
        if counter[d] < shape[d] { break }
        for k in offsets.indices { offsets[k] -= strides[k][d] * shape[d] }
        counter[d] = 0
        if d == 0 { return }
        d -= 1
      }
    }
  }
}

extension ArrayOps {
  /// Copies the elements of `source` seen through (`offset`, `strides`) over `shape` into a new
  /// row-major array of that shape (slicing, transposing and broadcasting all end here).
  static func gather(_ source: [Double], offset: Int, shape: [Int], strides: [Int], count: Int) -> [Double] {
    let walk = StridedWalk(shape: shape, strides: [ArrayOps.contiguousStrides(shape), strides])
    let run = walk.runLength, step = walk.runStride(1)
    return [Double](unsafeUninitializedCapacity: count) { out, initialized in
      source.withUnsafeBufferPointer { src in
        walk.forEachRun(base: [0, offset]) { o in
          let dst = out.baseAddress! + o[0], from = src.baseAddress! + o[1]
          if step == 1 {
            (dst as UnsafeMutablePointer<Double>).initialize(from: from, count: run)
          } else {
            for i in 0..<run { (dst + i).initialize(to: from[i * step]) }
          }
        }
      }
      initialized = count
    }
  }

  /// Writes `source` (seen through `sourceOffset`, `sourceStrides` over `shape`) into `target`
  /// seen through (`targetOffset`, `targetStrides`): the assignment half of indexing.
  static func scatter(
    _ source: [Double], sourceOffset: Int, sourceStrides: [Int],
    into target: inout [Double], targetOffset: Int, targetStrides: [Int], shape: [Int]
  ) {
    let walk = StridedWalk(shape: shape, strides: [targetStrides, sourceStrides])
    let run = walk.runLength, ts = walk.runStride(0), ss = walk.runStride(1)
    target.withUnsafeMutableBufferPointer { dst in
      source.withUnsafeBufferPointer { src in
        walk.forEachRun(base: [targetOffset, sourceOffset]) { o in
          let to = dst.baseAddress! + o[0], from = src.baseAddress! + o[1]
          if ts == 1 && ss == 1 {
            to.update(from: from, count: run)
          } else if ss == 0 {
            let v = from[0]
            for i in 0..<run { to[i * ts] = v }
          } else {
            for i in 0..<run { to[i * ts] = from[i * ss] }
          }
        }
      }
    }
  }
}
