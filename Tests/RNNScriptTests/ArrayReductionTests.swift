// Reductions against numpy: every reduction over every axis (and none) of 0-d, empty, one-element,
// long (pairwise-summed) and multi-axis arrays, with nan first, in the middle and last, with ±inf,
// and with ties for argmin/argmax. Sums are compared bit for bit: ArrayOps sums in numpy's order.

import Testing
@testable import RNNScript

private let numpyNames: [Reduction: String] = [
  .sum: "np.sum", .mean: "np.mean", .std: "np.std", .variance: "np.var", .min: "np.min", .max: "np.max",
  .argmin: "np.argmin", .argmax: "np.argmax", .any: "np.any", .all: "np.all", .prod: "np.prod",
]

private func withValues(_ shape: [Int], _ values: [Double]) -> ArrayValue { ArrayValue(shape: shape, values: values) }

private let inputs: [ArrayValue] = {
  let nan = Double.nan
  var arrays: [ArrayValue] = [
    ArraySamples.array([], seed: 3), ArraySamples.array([0]), ArraySamples.array([1], seed: 1), ArraySamples.array([0, 3]),
    ArraySamples.array([3, 0]), ArraySamples.array([2, 0, 4]),
    withValues([5], [nan, 1, 5, 2, 0]), withValues([5], [1, 5, nan, 2, 0]), withValues([5], [1, 5, 2, 0, nan]),
    withValues([6], [3, -1, 3, -1, 2, 2]), withValues([4], [.infinity, -.infinity, 1, .infinity]),
    withValues([4], [0, -0.0, 0, -0.0]), withValues([3], [0, 0, 0]), withValues([3], [nan, nan, 1]),
    withValues([2, 3], [1, nan, 3, 4, 5, nan]), withValues([3, 2], [nan, 1, 2, 3, 4, nan]),
  ]
  for (i, shape)
    in ([
      [7], [9], [128], [129], [200], [1000], [4097], [3, 4], [2, 3, 4], [5, 1, 130], [130, 3], [37, 300], [300, 37],
      [4, 3, 2, 5],
    ] as [[Int]]).enumerated()
  {
    arrays.append(ArraySamples.random(shape, seed: UInt64(i + 2)))
  }
  arrays.append(ArraySamples.array([4, 5], seed: 2))  // nan, ±inf, ±0 mixed in
  arrays.append(ArraySamples.array([3, 2, 4], seed: 7, finite: true))
  return arrays
}()

@Test(.enabled(if: ArrayNumpy.available))
func reductionsMatchNumpyOnEveryAxis() throws {
  var cases: [NumpyCase] = []
  for r in Reduction.allCases {
    for a in inputs {
      for axis in [nil] + Array(-a.shape.count - 1...a.shape.count) as [Int?] {
        // numpy accepts axis 0 and -1 on a 0-d array except in mean, std and var (which index the
        // shape); ArrayOps accepts them everywhere, tested below.
        if a.shape.isEmpty && axis != nil && [.mean, .std, .variance].contains(r) { continue }
        let py = "\(numpyNames[r]!)(\(ArrayNumpy.literal(a)), axis=\(axis.map(String.init) ?? "None"))"
        cases.append(NumpyCase("\(r) \(a.shape) axis \(String(describing: axis))", py) { try ArrayOps.reduce(r, a, axis: axis) })
      }
    }
  }
  let compared = try checkAgainstNumpy(cases)
  #expect(compared > cases.count / 2)
}

@Test func reductionsForKnownValues() throws {
  let nan = Double.nan
  let m = ArrayValue(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
  #expect(try ArrayOps.reduce(.sum, m, axis: 0) == ArrayValue(shape: [3], values: [5, 7, 9]))
  #expect(try ArrayOps.reduce(.sum, m, axis: -1) == ArrayValue(shape: [2], values: [6, 15]))
  #expect(try ArrayOps.reduce(.mean, m, axis: nil) == ArrayValue(shape: [], values: [3.5]))
  #expect(try ArrayOps.reduce(.argmax, m, axis: nil) == ArrayValue(shape: [], values: [5]))
  #expect(try ArrayOps.reduce(.variance, ArrayValue(vector: [1, 3]), axis: nil).values == [1])
  #expect(try ArrayOps.reduce(.std, ArrayValue(vector: [1, 3, 1, 3]), axis: 0).values == [1])
  for position in 0..<3 {
    var v: [Double] = [1, 5, 2]
    v[position] = nan
    #expect(try ArrayOps.reduce(.max, ArrayValue(vector: v), axis: nil).values[0].isNaN)
    #expect(try ArrayOps.reduce(.min, ArrayValue(vector: v), axis: 0).values[0].isNaN)
    #expect(try ArrayOps.reduce(.argmax, ArrayValue(vector: v), axis: nil).values == [Double(position)])
    #expect(try ArrayOps.reduce(.argmin, ArrayValue(vector: v), axis: nil).values == [Double(position)])
  }
  #expect(try ArrayOps.reduce(.argmax, ArrayValue(vector: [2, 7, 7, 1]), axis: nil).values == [1])
  #expect(try ArrayOps.reduce(.mean, ArrayValue(shape: [0], values: []), axis: nil).values[0].isNaN)
  #expect(try ArrayOps.reduce(.sum, ArrayValue(shape: [0], values: []), axis: nil).values == [0])
  #expect(try ArrayOps.reduce(.prod, ArrayValue(shape: [0], values: []), axis: nil).values == [1])
  #expect(try ArrayOps.reduce(.any, ArrayValue(vector: [0, nan]), axis: nil).values == [1])
  #expect(try ArrayOps.reduce(.all, ArrayValue(shape: [0], values: []), axis: nil).values == [1])
}

@Test func reductionErrors() throws {
  let empty = ArrayValue(shape: [3, 0], values: [])
  for r in [Reduction.min, .max, .argmin, .argmax] {
    #expect(arrayError { try ArrayOps.reduce(r, empty, axis: 1) } == .emptyReduction(operation: r.rawValue))
    #expect(arrayError { try ArrayOps.reduce(r, empty, axis: nil) } == .emptyReduction(operation: r.rawValue))
  }
  // Reducing the non-empty axis of an empty array is fine: the result is empty.
  #expect(try ArrayOps.reduce(.max, empty, axis: 0).shape == [0])
  #expect(arrayError { try ArrayOps.reduce(.sum, empty, axis: 2) } == .invalidAxis(axis: 2, dimensions: 2))
  #expect(arrayError { try ArrayOps.reduce(.mean, empty, axis: -3) } == .invalidAxis(axis: -3, dimensions: 2))
  #expect(arrayError { try ArrayOps.reduce(.sum, ArrayValue(scalar: 1), axis: 1) } == .invalidAxis(axis: 1, dimensions: 0))
  #expect(try ArrayOps.reduce(.mean, ArrayValue(scalar: 4), axis: -1) == ArrayValue(scalar: 4))
  // Reducing an empty axis of an otherwise huge shape would allocate the rest: checked first.
  let wide = ArrayValue(shape: [0, 200_000_000], values: [])
  #expect(
    arrayError { try ArrayOps.reduce(.sum, wide, axis: 0) } == .tooLarge(elements: 200_000_000, limit: ArrayOps.maximumElements))
  #expect(ArrayError.emptyReduction(operation: "max").message == "max of an empty array is undefined (there is no identity)")
  #expect(ArrayError.invalidAxis(axis: 2, dimensions: 2).message == "axis 2 is out of bounds for an array of dimension 2")
  #expect(Reduction(rawValue: "var") == .variance)
}
