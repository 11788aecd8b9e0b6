// Every ArrayError case reads as a sentence with numpy's spelling of shapes and numbers, and the
// size checks that guard allocation fire in every operation that could allocate too much.

import Testing
@testable import RNNScript

@Test func everyErrorCaseHasAMessage() {
  let cases: [(ArrayError, String)] = [
    (.shapesDoNotBroadcast(operation: "add", [3, 1], [2]), "add: shapes (3, 1) and (2,) cannot be broadcast together"),
    (.indexOutOfRange(index: -4, axis: 1, size: 3), "index -4 is out of bounds for axis 1 with size 3"),
    (.tooManyIndices(given: 1, dimensions: 0), "too many indices: the array has 0 dimensions but 1 were indexed"),
    (.tooManyIndices(given: 2, dimensions: 1), "too many indices: the array has 1 dimension but 2 were indexed"),
    (.invalidAxis(axis: -3, dimensions: 2), "axis -3 is out of bounds for an array of dimension 2"),
    (.invalidArgument("slice step cannot be zero"), "slice step cannot be zero"),
    (
      .tooLarge(elements: 200_000_000, limit: 100_000_000),
      "the result would have 200000000 elements, more than the limit of 100000000"
    ),
    (.sizeOverflow(shape: [1 << 62, 4]), "an array of shape (4611686018427387904, 4) would have too many elements to count"),
    (
      .maskShapeMismatch(mask: [3], array: [4, 2], axis: 0),
      "boolean index of shape (3,) does not match the indexed array of shape (4, 2) at axis 0"
    ),
    (.cannotReshape(from: [], to: [2]), "cannot reshape an array of size 1 (shape ()) into shape (2,)"),
    (.shapesDoNotMatch(operation: "concatenate", [2, 3], [3]), "concatenate: array shapes (2, 3) and (3,) do not match"),
    (.emptyReduction(operation: "argmin"), "argmin of an empty array is undefined (there is no identity)"),
    (.matmulMismatch([3], [4, 2]), "matmul: shapes (3,) and (4, 2) do not align (3 ≠ 4 in the inner dimension)"),
    (.matmulMismatch([2, 5], [3]), "matmul: shapes (2, 5) and (3,) do not align (5 ≠ 3 in the inner dimension)"),
  ]
  for (error, text) in cases {
    #expect(error.message == text)
    #expect(error.description == text)
  }
}

@Test func operationsThatCouldAllocateTooMuchCheckFirst() {
  let limit = ArrayOps.maximumElements
  let column = ArrayValue(shape: [10_001, 1], values: Array(repeating: 1, count: 10_001))
  let row = ArrayValue(shape: [1, 10_001], values: Array(repeating: 1, count: 10_001))
  #expect(arrayError { try ArrayOps.elementwise(.add, column, row) } == .tooLarge(elements: 100_020_001, limit: limit))
  #expect(arrayError { try ArrayOps.where(column, row, ArrayValue(scalar: 0)) } == .tooLarge(elements: 100_020_001, limit: limit))
  #expect(arrayError { try ArrayOps.clip(column, row, ArrayValue(scalar: 0)) } == .tooLarge(elements: 100_020_001, limit: limit))
  #expect(arrayError { try ArrayOps.broadcast(column, to: [10_001, 10_001]) } == .tooLarge(elements: 100_020_001, limit: limit))
  // A subscript repeating a row selects more than the array holds.
  let wide = ArrayValue(shape: [1, 10_001], values: Array(repeating: 1, count: 10_001))
  let repeated = ArrayIndex.indices(Array(repeating: 0, count: 10_000))
  #expect(arrayError { try ArrayOps.subscript(get: wide, [repeated]) } == .tooLarge(elements: 100_010_000, limit: limit))
  #expect(
    arrayError { try ArrayOps.concatenate(Array(repeating: wide, count: 10_000), axis: 0) }
      == .tooLarge(elements: 100_010_000, limit: limit))
}

@Test func broadcastToMatchesItsDefinition() throws {
  let a = ArrayValue(shape: [3, 1], values: [1, 2, 3])
  #expect(
    try ArrayOps.broadcast(a, to: [2, 3, 2]) == ArrayValue(shape: [2, 3, 2], values: [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]))
  #expect(try ArrayOps.broadcast(ArrayValue(scalar: 7), to: [0, 2]).shape == [0, 2])
  // broadcast_to only stretches `a`: a target that would need `a` bigger is an error.
  #expect(arrayError { try ArrayOps.broadcast(a, to: [1]) } == .shapesDoNotBroadcast(operation: "broadcast_to", [3, 1], [1]))
  #expect(
    arrayError { try ArrayOps.broadcast(a, to: [3, 2, 2]) }
      == .shapesDoNotBroadcast(operation: "broadcast_to", [3, 1], [3, 2, 2]))
  #expect(try ArrayOps.broadcastShape([2, 1, 4], [3, 1], operation: "add") == [2, 3, 4])
}
