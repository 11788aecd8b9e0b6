// numpy's `@` (np.matmul): 1-D operands are promoted to a row (left) or a column (right) and the
// added axis is removed from the result, so vector @ vector is a 0-d dot product; operands with
// more than two axes are stacks of matrices whose leading (batch) axes broadcast. Each 2-D product
// is one BLAS dgemm through the Linear module's seam.

import Linear

extension ArrayOps {
  /// `a @ b` (np.matmul) for operands of at least one axis.
  public static func matmul(_ a: ArrayValue, _ b: ArrayValue) throws(ArrayError) -> ArrayValue {
    guard !a.shape.isEmpty && !b.shape.isEmpty else { throw .matmulMismatch(a.shape, b.shape) }
    try validate(a.shape)
    try validate(b.shape)
    let left = a.shape.count == 1 ? [1, a.shape[0]] : a.shape
    let right = b.shape.count == 1 ? [b.shape[0], 1] : b.shape
    let m = left[left.count - 2], k = left[left.count - 1]
    let kb = right[right.count - 2], n = right[right.count - 1]
    guard k == kb else { throw .matmulMismatch(a.shape, b.shape) }
    let batchA = Array(left.dropLast(2)), batchB = Array(right.dropLast(2))
    let batch = try broadcastShape(batchA, batchB, operation: "matmul")
    let count = try elementCount(batch + [m, n])
    var shape = batch
    if a.shape.count > 1 { shape.append(m) }
    if b.shape.count > 1 { shape.append(n) }
    var values = [Double](repeating: 0, count: count)
    let batches = batch.reduce(1, *)
    if count == 0 || k == 0 || batches == 0 { return ArrayValue(shape: shape, values: values) }
    // Offsets of each batch's matrix, in elements, by walking the broadcast batch axes.
    let strideA = broadcastStrides(batchA, to: batch).map { $0 * m * k }
    let strideB = broadcastStrides(batchB, to: batch).map { $0 * k * n }
    values.withUnsafeMutableBufferPointer { c in
      a.values.withUnsafeBufferPointer { x in
        b.values.withUnsafeBufferPointer { y in
          var counter = [Int](repeating: 0, count: batch.count)
          var offsetA = 0, offsetB = 0
          for index in 0..<batches {
            Double.gemm(
              transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: x.baseAddress! + offsetA, lda: k,
              b: y.baseAddress! + offsetB, ldb: n, beta: 0, c: c.baseAddress! + index * m * n, ldc: n)
            var d = batch.count - 1
            while d >= 0 {
              counter[d] += 1
              offsetA += strideA[d]
              offsetB += strideB[d]
              if counter[d] < batch[d] { break }
              offsetA -= strideA[d] * batch[d]
              offsetB -= strideB[d] * batch[d]
              counter[d] = 0
              d -= 1
            }
          }
        }
      }
    }
    return ArrayValue(shape: shape, values: values)
  }
}
