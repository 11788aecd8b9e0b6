// matmul (numpy's @) against numpy for 1-D and 2-D operands and broadcast stacks, and against a
// naive triple loop written here. BLAS may sum each product in another order than numpy's own
// BLAS: values within 1e-12 relative.

import Testing
@testable import RNNScript

/// The textbook product of two 2-D arrays, summed left to right.
private func naiveProduct(_ a: ArrayValue, _ b: ArrayValue) -> ArrayValue {
  let m = a.shape[0], k = a.shape[1], n = b.shape[1]
  var c = [Double](repeating: 0, count: m * n)
  for i in 0..<m {
    for j in 0..<n {
      var s = 0.0
      for p in 0..<k { s += a.values[i * k + p] * b.values[p * n + j] }
      c[i * n + j] = s
    }
  }
  return ArrayValue(shape: [m, n], values: c)
}

@Test(.enabled(if: ArrayNumpy.available))
func matmulMatchesNumpy() throws {
  let pairs: [([Int], [Int])] = [
    ([3], [3]), ([2, 3], [3]), ([3], [3, 4]), ([2, 3], [3, 4]), ([5, 2, 3], [3, 4]), ([5, 2, 3], [5, 3, 4]),
    ([1, 2, 3], [5, 3, 4]), ([5, 2, 3], [1, 3, 4]), ([2, 3], [5, 3, 4]), ([5, 2, 3], [3]), ([3], [5, 3, 4]),
    ([2, 0], [0, 3]), ([0, 3], [3, 2]), ([0], [0]), ([4, 1, 2, 3], [5, 3, 2]), ([6, 7], [7, 8]), ([1, 1], [1, 1]),
    ([0, 2, 3], [3, 4]), ([31, 40], [40, 17]),
    // errors
    ([3], [4]), ([2, 3], [2, 3]), ([2, 2, 3], [3, 3, 4]), ([], [3]), ([3], []),
  ]
  let cases = pairs.enumerated().map { i, p in
    let a = ArraySamples.random(p.0, seed: UInt64(2 * i + 1)), b = ArraySamples.random(p.1, seed: UInt64(2 * i + 2))
    return NumpyCase("matmul \(p.0) \(p.1)", "np.matmul(\(ArrayNumpy.literal(a)), \(ArrayNumpy.literal(b)))", tolerance: 1e-12) {
      try ArrayOps.matmul(a, b)
    }
  }
  #expect(try checkAgainstNumpy(cases) == pairs.count - 5)
}

@Test func matmulAgreesWithTheNaiveProduct() throws {
  let a = ArraySamples.random([50, 60], seed: 4), b = ArraySamples.random([60, 70], seed: 5)
  let c = try ArrayOps.matmul(a, b), d = naiveProduct(a, b)
  #expect(c.shape == [50, 70])
  #expect(c.values.indices.allSatisfy { arraysAgree(c.values[$0], d.values[$0], tolerance: 1e-12) })
  // Each batch of a broadcast stack is its own product.
  let stackA = ArraySamples.random([3, 4, 5], seed: 6), single = ArraySamples.random([5, 2], seed: 7)
  let stacked = try ArrayOps.matmul(stackA, single)
  for i in 0..<3 {
    let slice = try ArrayOps.subscript(get: stackA, [.index(i)])
    let expected = naiveProduct(slice, single)
    let got = try ArrayOps.subscript(get: stacked, [.index(i)])
    #expect(got.shape == expected.shape)
    #expect(got.values.indices.allSatisfy { arraysAgree(got.values[$0], expected.values[$0], tolerance: 1e-12) })
  }
  // vector · vector is a 0-d dot product; exact for small integers.
  #expect(try ArrayOps.matmul(ArrayValue(vector: [1, 2, 3]), ArrayValue(vector: [4, 5, 6])) == ArrayValue(scalar: 32))
  #expect(
    try ArrayOps.matmul(ArrayValue(shape: [2, 0], values: []), ArrayValue(shape: [0, 3], values: []))
      == ArrayValue(shape: [2, 3], values: Array(repeating: 0, count: 6)))
}

@Test func matmulErrors() {
  #expect(
    arrayError { try ArrayOps.matmul(ArraySamples.array([2, 3]), ArraySamples.array([2, 3])) }
      == .matmulMismatch([2, 3], [2, 3]))
  #expect(arrayError { try ArrayOps.matmul(ArrayValue(scalar: 2), ArraySamples.array([3])) } == .matmulMismatch([], [3]))
  #expect(
    arrayError { try ArrayOps.matmul(ArraySamples.array([2, 2, 3]), ArraySamples.array([3, 3, 4])) }
      == .shapesDoNotBroadcast(operation: "matmul", [2], [3]))
  #expect(
    arrayError { try ArrayOps.matmul(ArraySamples.array([10_001, 1]), ArraySamples.array([1, 10_001])) }
      == .tooLarge(elements: 100_020_001, limit: ArrayOps.maximumElements))
  #expect(
    ArrayError.matmulMismatch([2, 3], [2, 3]).message
      == "matmul: shapes (2, 3) and (2, 3) do not align (3 ≠ 2 in the inner dimension)")
  #expect(ArrayError.matmulMismatch([], [3]).message == "matmul: a 0-d array (scalar) cannot be matrix-multiplied; use *")
}
