// Broadcasting binary operations, unary functions, clip and where, each against numpy on many
// shapes (0-d, empty, one element, broadcasting pairs) and awkward values (nan, ±inf, ±0, halves).

import Testing
@testable import RNNScript

private let numpyNames: [BinaryOp: String] = [
  .add: "np.add", .subtract: "np.subtract", .multiply: "np.multiply", .divide: "np.true_divide",
  .remainder: "np.remainder", .power: "np.power", .equal: "np.equal", .notEqual: "np.not_equal", .less: "np.less",
  .lessEqual: "np.less_equal", .greater: "np.greater", .greaterEqual: "np.greater_equal",
  .logicalAnd: "np.logical_and", .logicalOr: "np.logical_or", .maximum: "np.maximum", .minimum: "np.minimum",
]

/// numpy's power may use its own SIMD pow (AVX-512 here), one ulp from C pow: 1e-15 relative for
/// power, bit for bit for everything else.
private func powerTolerance(_ op: BinaryOp) -> Double { op == .power ? 1e-15 : 0 }

/// Shape pairs that broadcast, including 0-d, empty and one-element operands.
private let broadcastingPairs: [([Int], [Int])] = [
  ([], []), ([], [3]), ([3], []), ([5], [5]), ([3, 1], [1, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]),
  ([4], [2, 3, 4]), ([1], [5]), ([0], [1]), ([0, 3], [3]), ([2, 0, 3], [1, 3]), ([4, 1, 3], [2, 1]),
  ([1, 1], [1]), ([2, 1, 3, 1], [5, 1, 2]), ([6, 7], [6, 7]), ([1, 20], [20, 1]),
]

@Test(.enabled(if: ArrayNumpy.available))
func elementwiseBinaryMatchesNumpyOnBroadcastingShapes() throws {
  var cases: [NumpyCase] = []
  for op in BinaryOp.allCases {
    for (i, (sa, sb)) in broadcastingPairs.enumerated() {
      let a = ArraySamples.array(sa, seed: i), b = ArraySamples.array(sb, seed: 3 * i + 5)
      cases.append(
        NumpyCase(
          "\(op) \(sa) \(sb)", "\(numpyNames[op]!)(\(ArrayNumpy.literal(a)), \(ArrayNumpy.literal(b)))",
          tolerance: powerTolerance(op)
        ) {
          try ArrayOps.elementwise(op, a, b)
        })
    }
  }
  #expect(try checkAgainstNumpy(cases) == BinaryOp.allCases.count * broadcastingPairs.count)
}

@Test(.enabled(if: ArrayNumpy.available))
func everyValuePairOfThePoolMatchesNumpy() throws {
  // All pool × pool combinations as a (20, 1) × (1, 20) broadcast: nan, ±inf, ±0 against each other.
  let column = ArrayValue(shape: [20, 1], values: ArraySamples.pool)
  let row = ArrayValue(shape: [1, 20], values: ArraySamples.pool)
  let cases = BinaryOp.allCases.map { op in
    NumpyCase(
      "\(op) pool", "\(numpyNames[op]!)(\(ArrayNumpy.literal(column)), \(ArrayNumpy.literal(row)))",
      tolerance: powerTolerance(op)
    ) {
      try ArrayOps.elementwise(op, column, row)
    }
  }
  #expect(try checkAgainstNumpy(cases) == BinaryOp.allCases.count)
}

@Test func remainderIsFlooredWithTheDivisorsSign() throws {
  // numpy: 7 % -3 = -2, -7 % 3 = 2, -7 % -3 = -1, 7 % 3 = 1, -6 % 3 = 0 (sign of divisor: +0), 6 % -3 = -0.
  let a = ArrayValue(vector: [7, -7, -7, 7, -6, 6, 5.5, -5.5, 1, 3])
  let b = ArrayValue(vector: [-3, 3, -3, 3, 3, -3, 2, 2, 0, .infinity])
  let r = try ArrayOps.elementwise(.remainder, a, b)
  let expected: [Double] = [-2, 2, -1, 1, 0, -0.0, 1.5, 0.5, .nan, 3]
  for i in expected.indices {
    #expect(arraysAgree(r.values[i], expected[i], tolerance: 0), "\(a.values[i]) % \(b.values[i]) = \(r.values[i])")
  }
}

@Test(.enabled(if: ArrayNumpy.available))
func remainderWithNegativeOperandsMatchesNumpy() throws {
  let a = ArrayValue(shape: [9, 1], values: [7, -7, 6, -6, 0.75, -0.75, 1e10, -1e-10, 0])
  let b = ArrayValue(shape: [1, 7], values: [3, -3, 0.5, -0.5, 2.5, -1e10, 1e-3])
  let n = try checkAgainstNumpy([
    NumpyCase("remainder", "np.remainder(\(ArrayNumpy.literal(a)), \(ArrayNumpy.literal(b)))") {
      try ArrayOps.elementwise(.remainder, a, b)
    }
  ])
  #expect(n == 1)
}

@Test func binaryResultsForKnownValues() throws {
  let a = ArrayValue(shape: [2, 1], values: [1, 2])
  let b = ArrayValue(shape: [3], values: [10, 20, 30])
  let sum = try ArrayOps.elementwise(.add, a, b)
  #expect(sum == ArrayValue(shape: [2, 3], values: [11, 21, 31, 12, 22, 32]))
  let scalar = try ArrayOps.elementwise(.multiply, ArrayValue(scalar: 2), b)
  #expect(scalar == ArrayValue(shape: [3], values: [20, 40, 60]))
  let nan = Double.nan
  let m = try ArrayOps.elementwise(.maximum, ArrayValue(vector: [1, nan, 3]), ArrayValue(vector: [nan, 2, 1]))
  #expect(m.values[0].isNaN && m.values[1].isNaN && m.values[2] == 3)
  let ne = try ArrayOps.elementwise(.notEqual, ArrayValue(vector: [nan, 1]), ArrayValue(vector: [nan, 1]))
  #expect(ne.values == [1, 0])
  let eq = try ArrayOps.elementwise(.equal, ArrayValue(vector: [nan, 1]), ArrayValue(vector: [nan, 1]))
  #expect(eq.values == [0, 1])
}

@Test func shapesThatDoNotBroadcastAreErrors() {
  let cases: [([Int], [Int])] = [([3], [4]), ([2, 3], [3, 2]), ([2, 1, 3], [4, 3, 1, 2]), ([0], [2])]
  for (sa, sb) in cases {
    let e = arrayError { try ArrayOps.elementwise(.add, ArraySamples.array(sa), ArraySamples.array(sb)) }
    #expect(e == .shapesDoNotBroadcast(operation: "add", sa, sb))
  }
  #expect(
    ArrayError.shapesDoNotBroadcast(operation: "add", [3], [4]).message
      == "add: shapes (3,) and (4,) cannot be broadcast together")
}

// MARK: - Unary

private let unaryNumpy: [UnaryFunction: String] = [
  .negate: "np.negative", .logicalNot: "np.logical_not", .abs: "np.abs", .sqrt: "np.sqrt", .exp: "np.exp",
  .log: "np.log", .tanh: "np.tanh", .sin: "np.sin", .cos: "np.cos", .sign: "np.sign", .round: "np.round", .floor: "np.floor",
  .ceil: "np.ceil",
  .isnan: "np.isnan", .isinf: "np.isinf", .isfinite: "np.isfinite",
]

@Test(.enabled(if: ArrayNumpy.available))
func unaryFunctionsMatchNumpy() throws {
  let halves = ArrayValue(vector: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 4.5, 0.49999999999999994, -0.0, 1e16 + 2, 2.4999])
  let shapes: [[Int]] = [[], [0], [1], [20], [2, 0, 3], [4, 5], [2, 3, 7]]
  var cases: [NumpyCase] = []
  for f in UnaryFunction.allCases {
    // exp, log and tanh may come from numpy's own SIMD implementations: within 1e-15 relative.
    let tolerance = [.exp, .log, .tanh, .sin, .cos].contains(f) ? 1e-15 : 0
    var inputs = shapes.enumerated().map { ArraySamples.array($1, seed: $0) }
    inputs.append(halves)
    inputs.append(ArraySamples.random([50], seed: 9))
    for a in inputs {
      cases.append(
        NumpyCase("\(f) \(a.shape)", "\(unaryNumpy[f]!)(\(ArrayNumpy.literal(a)))", tolerance: tolerance) {
          ArrayOps.unary(f, a)
        })
    }
  }
  #expect(try checkAgainstNumpy(cases) == cases.count)
}

@Test func roundIsHalfToEvenAndSignFollowsNumpy() {
  let r = ArrayOps.unary(.round, ArrayValue(vector: [0.5, 1.5, 2.5, -0.5, -2.5, 3.5]))
  #expect(r.values.map(\.bitPattern) == [0.0, 2, 2, -0.0, -2, 4].map(\.bitPattern))
  let s = ArrayOps.unary(.sign, ArrayValue(vector: [-3, 0, -0.0, 2, .nan, -.infinity]))
  #expect(s.values[0] == -1 && s.values[1] == 0 && s.values[2] == 0 && s.values[3] == 1 && s.values[4].isNaN)
  #expect(s.values[5] == -1)
}

// MARK: - clip and where

@Test(.enabled(if: ArrayNumpy.available))
func clipMatchesNumpy() throws {
  let a = ArraySamples.array([4, 5], seed: 2)
  let bounds: [(ArrayValue, ArrayValue)] = [
    (ArrayValue(scalar: -1), ArrayValue(scalar: 2)),
    (ArrayValue(scalar: 3), ArrayValue(scalar: 1)),  // lo > hi: numpy gives hi
    (ArrayValue(scalar: .nan), ArrayValue(scalar: 2)),
    (ArrayValue(shape: [5], values: [-1, 0, 1, 2, .nan]), ArrayValue(scalar: 4)),
    (ArrayValue(shape: [4, 1], values: [-10, 0, 1, -1]), ArrayValue(shape: [1, 5], values: [0, 1, 2, 3, 100])),
    (ArrayValue(scalar: -.infinity), ArrayValue(scalar: .infinity)),
  ]
  var cases = bounds.enumerated().map { i, lh in
    NumpyCase("clip \(i)", "np.clip(\(ArrayNumpy.literal(a)), \(ArrayNumpy.literal(lh.0)), \(ArrayNumpy.literal(lh.1)))") {
      try ArrayOps.clip(a, lh.0, lh.1)
    }
  }
  let empty = ArraySamples.array([0, 3])
  cases.append(
    NumpyCase("clip empty", "np.clip(\(ArrayNumpy.literal(empty)), 0.0, 1.0)") {
      try ArrayOps.clip(empty, ArrayValue(scalar: 0), ArrayValue(scalar: 1))
    })
  // numpy broadcasts the bounds into the result's shape.
  let scalar = ArrayValue(scalar: 5)
  let lows = ArrayValue(vector: [1, 6, 7])
  cases.append(
    NumpyCase("clip broadcast up", "np.clip(\(ArrayNumpy.literal(scalar)), \(ArrayNumpy.literal(lows)), 6.5)") {
      try ArrayOps.clip(scalar, lows, ArrayValue(scalar: 6.5))
    })
  #expect(try checkAgainstNumpy(cases) == cases.count)
}

@Test(.enabled(if: ArrayNumpy.available))
func whereMatchesNumpy() throws {
  let shapes: [([Int], [Int], [Int])] = [
    ([], [], []), ([3], [], [3]), ([3, 1], [1, 4], []), ([2, 3, 4], [4], [3, 1]), ([0], [1], []), ([5], [5], [5]),
  ]
  let cases = shapes.enumerated().map { i, s in
    let c = ArraySamples.array(s.0, seed: i), x = ArraySamples.array(s.1, seed: i + 4)
    let y = ArraySamples.array(s.2, seed: i + 9)
    return NumpyCase(
      "where \(s)", "np.where(\(ArrayNumpy.literal(c)), \(ArrayNumpy.literal(x)), \(ArrayNumpy.literal(y)))"
    ) { try ArrayOps.where(c, x, y) }
  }
  #expect(try checkAgainstNumpy(cases) == cases.count)
}

@Test func whereAndClipReportTheClashingShapes() {
  let e = arrayError { try ArrayOps.where(ArraySamples.array([3]), ArraySamples.array([3]), ArraySamples.array([4])) }
  #expect(e == .shapesDoNotBroadcast(operation: "where", [3], [4]))
  let c = arrayError { try ArrayOps.clip(ArraySamples.array([2, 3]), ArraySamples.array([2]), ArrayValue(scalar: 1)) }
  #expect(c == .shapesDoNotBroadcast(operation: "clip", [2, 3], [2]))
}

/// The number shortcut (`t > onset`, `x * 2`: no 0-d array made for the number) against the
/// broadcasting path the numpy tests above check: every operation, on both sides, with numbers
/// that include nan, ±inf, 0, −0 and 2 (the squaring `**`), gives the same bits and shape.
@Test func numberOperandEqualsTheZeroDimensionalArray() throws {
  let arrays = [
    ArraySamples.array([], seed: 1), ArraySamples.array([7], seed: 2), ArraySamples.array([3, 4], seed: 3),
    ArraySamples.array([0], seed: 0), ArraySamples.array([2, 0, 3], seed: 4), ArrayValue(scalar: 2),
  ]
  let numbers: [Double] = [2, -0.5, 0, -0.0, 3, .nan, .infinity, -.infinity, 1e300, 7]
  for op in BinaryOp.allCases {
    for a in arrays {
      for x in numbers {
        let n = ArrayValue(scalar: x)
        let after = try ArrayOps.elementwise(op, a, number: x, numberFirst: false)
        let before = try ArrayOps.elementwise(op, a, number: x, numberFirst: true)
        let expectedAfter = try ArrayOps.elementwise(op, a, n)
        let expectedBefore = try ArrayOps.elementwise(op, n, a)
        #expect(
          after.shape == expectedAfter.shape && after.values.map(\.bitPattern) == expectedAfter.values.map(\.bitPattern),
          "\(op) \(a.shape) \(x)")
        #expect(
          before.shape == expectedBefore.shape && before.values.map(\.bitPattern) == expectedBefore.values.map(\.bitPattern),
          "\(x) \(op) \(a.shape)")
      }
    }
  }
}
