// reshape, transpose, concatenate, stack, squeeze, expand_dims and flatten against numpy, with the
// shapes each rejects.

import Testing
@testable import RNNScript

private func shapeText(_ s: [Int]) -> String { Format.shape(s) }

@Test(.enabled(if: ArrayNumpy.available))
func reshapeAndTransposeMatchNumpy() throws {
  let arrays = [
    ArraySamples.array([2, 3, 4], seed: 1), ArraySamples.array([], seed: 2), ArraySamples.array([1], seed: 3),
    ArraySamples.array([0, 3]), ArraySamples.array([6], seed: 4),
  ]
  // (numpy takes any negative dimension as the inferred one; ArrayOps only -1, tested below.)
  let targets: [[Int]] = [
    [24], [4, 6], [-1], [2, -1, 3], [-1, 5], [-1, -1], [0, -1], [], [1, 1, -1], [3, 0], [-1, 0], [6, 1], [1],
  ]
  var cases: [NumpyCase] = []
  for a in arrays {
    let x = ArrayNumpy.literal(a)
    for t in targets {
      cases.append(NumpyCase("reshape \(a.shape) \(t)", "np.reshape(\(x), \(shapeText(t)))") { try ArrayOps.reshape(a, t) })
    }
    cases.append(NumpyCase("transpose \(a.shape)", "np.transpose(\(x))") { try ArrayOps.transpose(a) })
    cases.append(NumpyCase("flatten \(a.shape)", "\(x).flatten()") { ArrayOps.flatten(a) })
  }
  let cube = arrays[0]
  let axesLists: [[Int]] = [
    [0, 1, 2], [2, 0, 1], [1, 2, 0], [0, 2, 1], [-1, 0, 1], [2, 1, 0], [0, 0, 1], [0, 1], [0, 1, 3],
  ]
  for axes in axesLists {
    cases.append(
      NumpyCase("transpose \(axes)", "np.transpose(\(ArrayNumpy.literal(cube)), \(shapeText(axes)))") {
        try ArrayOps.transpose(cube, axes: axes)
      })
  }
  let wide = ArraySamples.random([3, 0, 5])
  cases.append(
    NumpyCase("transpose empty", "np.transpose(\(ArrayNumpy.literal(wide)), (2, 0, 1))") {
      try ArrayOps.transpose(wide, axes: [2, 0, 1])
    })
  #expect(try checkAgainstNumpy(cases) == 39)  // the other 46 are errors in numpy and here
}

@Test(.enabled(if: ArrayNumpy.available))
func joiningMatchesNumpy() throws {
  let groups: [[ArrayValue]] = [
    [ArraySamples.array([2, 3], seed: 1), ArraySamples.array([2, 3], seed: 2)],
    [ArraySamples.array([2, 3], seed: 1), ArraySamples.array([1, 3], seed: 2), ArraySamples.array([0, 3])],
    [ArraySamples.array([2, 3], seed: 1), ArraySamples.array([2, 4], seed: 2)],
    [ArraySamples.array([2, 3, 2], seed: 1), ArraySamples.array([2, 1, 2], seed: 5), ArraySamples.array([2, 2, 2], seed: 3)],
    [ArraySamples.array([4], seed: 1), ArraySamples.array([2], seed: 2)],
    [ArraySamples.array([4], seed: 1)],
    [ArraySamples.array([], seed: 1), ArraySamples.array([], seed: 2)],
    [ArraySamples.array([2, 3], seed: 1), ArraySamples.array([3], seed: 2)],
    [ArraySamples.array([0], seed: 1), ArraySamples.array([0], seed: 2)],
  ]
  var cases: [NumpyCase] = []
  for g in groups {
    let list = "[" + g.map(ArrayNumpy.literal).joined(separator: ", ") + "]"
    let shapes = g.map(\.shape)
    for axis in [nil, 0, 1, 2, -1, -2, -4] as [Int?] {
      let axisText = axis.map(String.init) ?? "None"
      cases.append(
        NumpyCase("concatenate \(shapes) \(axisText)", "np.concatenate(\(list), axis=\(axisText))") {
          try ArrayOps.concatenate(g, axis: axis)
        })
      if let axis {
        cases.append(
          NumpyCase("stack \(shapes) \(axis)", "np.stack(\(list), axis=\(axis))") { try ArrayOps.stack(g, axis: axis) })
      }
    }
  }
  #expect(try checkAgainstNumpy(cases) > cases.count / 3)
}

@Test(.enabled(if: ArrayNumpy.available))
func squeezeAndExpandDimsMatchNumpy() throws {
  var cases: [NumpyCase] = []
  for a in [
    ArraySamples.array([1, 3, 1], seed: 2), ArraySamples.array([], seed: 1), ArraySamples.array([1, 1]),
    ArraySamples.array([2, 0, 1]),
  ] {
    let x = ArrayNumpy.literal(a)
    for axis in [nil, 0, 1, 2, 3, -1, -2, -4] as [Int?] {
      let axisText = axis.map(String.init) ?? "None"
      cases.append(
        NumpyCase("squeeze \(a.shape) \(axisText)", "np.squeeze(\(x), axis=\(axisText))") { try ArrayOps.squeeze(a, axis: axis) })
      if let axis {
        cases.append(
          NumpyCase("expand_dims \(a.shape) \(axis)", "np.expand_dims(\(x), \(axis))") { try ArrayOps.expandDims(a, axis: axis) })
      }
    }
  }
  #expect(try checkAgainstNumpy(cases) > cases.count / 3)
}

@Test func shapeOperationErrors() throws {
  let a = ArraySamples.array([2, 3])
  #expect(arrayError { try ArrayOps.reshape(a, [4, 2]) } == .cannotReshape(from: [2, 3], to: [4, 2]))
  #expect(arrayError { try ArrayOps.reshape(a, [-1, 4]) } == .cannotReshape(from: [2, 3], to: [-1, 4]))
  #expect(
    arrayError { try ArrayOps.reshape(a, [-1, -1]) } == .invalidArgument("reshape: only one dimension can be -1 (inferred)"))
  #expect(
    arrayError { try ArrayOps.reshape(a, [2, -3]) }
      == .invalidArgument("reshape: negative dimensions are not allowed (got -3 in (2, -3))"))
  #expect(arrayError { try ArrayOps.reshape(a, [1 << 62, 1 << 62]) } == .cannotReshape(from: [2, 3], to: [1 << 62, 1 << 62]))
  #expect(
    ArrayError.cannotReshape(from: [2, 3], to: [4, 2]).message
      == "cannot reshape an array of size 6 (shape (2, 3)) into shape (4, 2)")
  #expect(
    arrayError { try ArrayOps.transpose(a, axes: [0]) } == .invalidArgument("transpose: 1 axes given for an array of dimension 2")
  )
  #expect(arrayError { try ArrayOps.transpose(a, axes: [1, 1]) } == .invalidArgument("transpose: repeated axis in (1, 1)"))
  #expect(arrayError { try ArrayOps.transpose(a, axes: [0, 2]) } == .invalidAxis(axis: 2, dimensions: 2))
  #expect(arrayError { try ArrayOps.concatenate([], axis: 0) } == .invalidArgument("concatenate: need at least one array"))
  #expect(
    arrayError { try ArrayOps.concatenate([a, ArraySamples.array([2, 4])], axis: 0) }
      == .shapesDoNotMatch(operation: "concatenate", [2, 3], [2, 4]))
  #expect(
    arrayError { try ArrayOps.concatenate([a, ArraySamples.array([3])], axis: 0) }
      == .shapesDoNotMatch(operation: "concatenate", [2, 3], [3]))
  #expect(
    arrayError { try ArrayOps.concatenate([ArrayValue(scalar: 1)], axis: 0) }
      == .invalidArgument("concatenate: 0-d arrays (scalars) cannot be concatenated"))
  #expect(
    arrayError { try ArrayOps.stack([a, ArraySamples.array([3, 2])]) } == .shapesDoNotMatch(operation: "stack", [2, 3], [3, 2]))
  #expect(arrayError { try ArrayOps.stack([]) } == .invalidArgument("stack: need at least one array"))
  #expect(arrayError { try ArrayOps.stack([a], axis: 3) } == .invalidAxis(axis: 3, dimensions: 3))
  #expect(
    arrayError { try ArrayOps.squeeze(a, axis: 0) }
      == .invalidArgument("squeeze: axis 0 has length 2, not 1, so cannot be squeezed out"))
  #expect(arrayError { try ArrayOps.expandDims(a, axis: -4) } == .invalidAxis(axis: -4, dimensions: 3))
  #expect(
    ArrayError.shapesDoNotMatch(operation: "stack", [2, 3], [3, 2]).message
      == "stack: array shapes (2, 3) and (3, 2) do not match")
  // Results for known inputs.
  let m = ArrayValue(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
  #expect(try ArrayOps.transpose(m) == ArrayValue(shape: [3, 2], values: [1, 4, 2, 5, 3, 6]))
  #expect(try ArrayOps.reshape(m, [3, -1]).shape == [3, 2])
  #expect(try ArrayOps.concatenate([m, m], axis: 1) == ArrayValue(shape: [2, 6], values: [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]))
  #expect(try ArrayOps.stack([m, m], axis: 2).shape == [2, 3, 2])
}
