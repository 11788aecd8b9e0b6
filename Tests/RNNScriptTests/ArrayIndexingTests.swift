// Indexing against numpy: every sequence of up to three entries from a pool of integer indices,
// slices (negative and large steps, out-of-range bounds), new axes, ellipses, integer lists and
// boolean masks, read and assigned (with values of the selection's shape, broadcast rows, scalars,
// extra leading length-1 axes), on 3-D, 1-D, 0-d and empty arrays.

import Testing
@testable import RNNScript

private let cube = ArraySamples.array([4, 5, 6], seed: 3, finite: true)

/// Subscript entries for a (4, 5, 6) array; some fail on some axes, as they should.
private let pool: [ArrayIndex] = [
  .index(0), .index(-1), .index(3), .index(5), .index(-5), .all, .slice(start: 1, stop: nil, step: 2),
  .slice(start: nil, stop: nil, step: -1), .slice(start: -2, stop: 0, step: -1), .slice(start: 10, stop: -10, step: -3),
  .slice(start: 4, stop: 1, step: nil), .slice(start: -100, stop: 100, step: 1000), .newAxis, .ellipsis,
  .indices([0, -1, 2, 2]), .indices([]), .indices([4]),
  .mask(ArrayValue(shape: [5], values: [1, 0, 1, 1, 0])),
  .mask(ArrayValue(shape: [4, 5], values: (0..<20).map { Double(($0 * 7) % 3 == 0 ? 1 : 0) })),
]

private func advancedCount(_ idx: [ArrayIndex]) -> Int {
  idx.filter {
    switch $0 {
    case .indices, .mask: return true
    default: return false
    }
  }.count
}

/// Every sequence of up to `length` entries of `pool` with at most one advanced index.
private func subscripts(_ pool: [ArrayIndex], length: Int) -> [[ArrayIndex]] {
  var all: [[ArrayIndex]] = [[]]
  var frontier: [[ArrayIndex]] = [[]]
  for _ in 0..<length {
    frontier = frontier.flatMap { s in pool.map { s + [$0] } }.filter { advancedCount($0) <= 1 }
    all += frontier
  }
  return all
}

@Test(.enabled(if: ArrayNumpy.available))
func readingMatchesNumpyForEverySubscriptOfUpToThreeEntries() throws {
  let cases = subscripts(pool, length: 3).map { idx in
    NumpyCase("X[\(ArrayNumpy.index(idx))]", "X[\(ArrayNumpy.index(idx))]") { try ArrayOps.subscript(get: cube, idx) }
  }
  let compared = try checkAgainstNumpy(cases, setup: "X = \(ArrayNumpy.literal(cube))")
  #expect(compared > cases.count / 3)  // many, not all: some subscripts are errors in numpy too
}

@Test(.enabled(if: ArrayNumpy.available))
func assigningMatchesNumpyForEverySubscriptOfUpToTwoEntries() throws {
  var cases: [NumpyCase] = []
  for idx in subscripts(pool, length: 2) {
    let text = ArrayNumpy.index(idx)
    var values = [ArrayValue(scalar: -9)]
    if let selected = try? ArrayOps.subscript(get: cube, idx) {
      let shape = selected.shape
      values.append(ArraySamples.array(shape, seed: 11))
      values.append(ArraySamples.array([1, 1] + shape, seed: 5))
      if let last = shape.last { values.append(ArraySamples.array([last], seed: 2)) }
      if shape.count >= 2 { values.append(ArraySamples.array([shape[0], 1] + shape.dropFirst(2), seed: 4)) }
      values.append(ArraySamples.array(shape + [2], seed: 1))  // never fits
    }
    for v in values {
      cases.append(
        NumpyCase("X[\(text)] = \(v.shape)", "setitem(X, \(text), \(ArrayNumpy.literal(v)))") {
          var a = cube
          try ArrayOps.subscript(set: &a, idx, to: v)
          return a
        })
    }
  }
  let compared = try checkAgainstNumpy(cases, setup: "X = \(ArrayNumpy.literal(cube))")
  #expect(compared > cases.count / 3)
}

@Test(.enabled(if: ArrayNumpy.available))
func smallAndEmptyArraysIndexAsNumpy() throws {
  let arrays: [ArrayValue] = [
    ArraySamples.array([], seed: 1), ArraySamples.array([1], seed: 2), ArraySamples.array([7], seed: 3),
    ArraySamples.array([3, 0, 2], seed: 4), ArraySamples.array([0], seed: 0),
  ]
  let small: [ArrayIndex] = [
    .index(0), .index(-1), .index(6), .index(-8), .all, .slice(start: nil, stop: nil, step: -2),
    .slice(start: 5, stop: nil, step: -3), .slice(start: 1, stop: 1, step: nil), .slice(start: nil, stop: nil, step: Int.max),
    .slice(start: Int.min, stop: Int.max, step: Int.min), .newAxis, .ellipsis, .indices([0, 0]), .indices([-1]),
    .mask(ArrayValue(shape: [7], values: [1, 1, 0, 0, 1, 0, 1])), .mask(ArrayValue(shape: [], values: [1])),
    .mask(ArrayValue(shape: [], values: [0])), .mask(ArrayValue(shape: [3], values: [0, 1, 1])),
  ]
  var cases: [NumpyCase] = []
  for a in arrays {
    for idx in subscripts(small, length: 2) {
      let text = ArrayNumpy.index(idx)
      cases.append(NumpyCase("\(a.shape)[\(text)]", "\(ArrayNumpy.literal(a))[\(text)]") { try ArrayOps.subscript(get: a, idx) })
      cases.append(
        NumpyCase("\(a.shape)[\(text)] = 5", "setitem(\(ArrayNumpy.literal(a)), \(text), 5.0)") {
          var b = a
          try ArrayOps.subscript(set: &b, idx, to: ArrayValue(scalar: 5))
          return b
        })
    }
  }
  let compared = try checkAgainstNumpy(cases)
  #expect(compared > cases.count / 4)  // most 2-entry subscripts of 0-d and 1-D arrays are errors
}

@Test func indexingResultsForKnownCases() throws {
  let m = ArrayValue(shape: [3, 4], values: (0..<12).map(Double.init))
  #expect(try ArrayOps.subscript(get: m, [.index(1)]) == ArrayValue(shape: [4], values: [4, 5, 6, 7]))
  #expect(try ArrayOps.subscript(get: m, [.index(-1), .index(-1)]) == ArrayValue(shape: [], values: [11]))
  #expect(
    try ArrayOps.subscript(get: m, [.all, .slice(start: nil, stop: nil, step: -2)])
      == ArrayValue(shape: [3, 2], values: [3, 1, 7, 5, 11, 9]))
  let mask = try ArrayOps.elementwise(.greater, m, ArrayValue(scalar: 8))
  #expect(try ArrayOps.subscript(get: m, [.mask(mask)]) == ArrayValue(shape: [3], values: [9, 10, 11]))
  var w = m
  try ArrayOps.subscript(
    set: &w, [.slice(start: 0, stop: 2, step: nil), .slice(start: 0, stop: 2, step: nil)], to: ArrayValue(scalar: 0))
  #expect(w.values == [0, 0, 2, 3, 0, 0, 6, 7, 8, 9, 10, 11])
  var x = m
  try ArrayOps.subscript(set: &x, [.mask(mask)], to: ArrayValue(scalar: -1))
  #expect(x.values == [0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1])
  // numpy's placement: an integer and a list separated by a slice put the list's axis first.
  let c = ArraySamples.array([2, 3, 4])
  #expect(try ArrayOps.subscript(get: c, [.index(0), .all, .indices([1, 2])]).shape == [2, 3])
  #expect(try ArrayOps.subscript(get: c, [.all, .index(0), .indices([1, 2])]).shape == [2, 2])
}

@Test func emptySelectionsOfEmptyArraysAreEmpty() throws {
  let empty = ArrayValue(shape: [0, 3], values: [])
  #expect(try ArrayOps.subscript(get: empty, [.indices([])]).shape == [0, 3])
  #expect(try ArrayOps.subscript(get: empty, [.all, .indices([2, 0])]).shape == [0, 2])
  var e = empty
  try ArrayOps.subscript(set: &e, [.indices([])], to: ArrayValue(scalar: 1))
  try ArrayOps.subscript(set: &e, [.mask(ArrayValue(shape: [0], values: []))], to: ArrayValue(scalar: 1))
  #expect(e == empty)
  let m = ArrayValue(shape: [2, 2], values: [1, 2, 3, 4])
  #expect(try ArrayOps.subscript(get: m, [.indices([]), .all]).shape == [0, 2])
  var n = m
  try ArrayOps.subscript(set: &n, [.all, .indices([])], to: ArrayValue(scalar: 9))
  #expect(n == m)
}

@Test func indexingErrors() {
  let m = ArraySamples.array([3, 4])
  #expect(arrayError { try ArrayOps.subscript(get: m, [.index(3)]) } == .indexOutOfRange(index: 3, axis: 0, size: 3))
  #expect(arrayError { try ArrayOps.subscript(get: m, [.all, .index(-5)]) } == .indexOutOfRange(index: -5, axis: 1, size: 4))
  #expect(arrayError { try ArrayOps.subscript(get: m, [.indices([0, 4])]) } == .indexOutOfRange(index: 4, axis: 0, size: 3))
  #expect(
    arrayError { try ArrayOps.subscript(get: m, [.index(0), .index(0), .index(0)]) } == .tooManyIndices(given: 3, dimensions: 2))
  #expect(
    arrayError { try ArrayOps.subscript(get: ArrayValue(scalar: 1), [.index(0)]) } == .tooManyIndices(given: 1, dimensions: 0))
  #expect(
    arrayError { try ArrayOps.subscript(get: m, [.slice(start: nil, stop: nil, step: 0)]) }
      == .invalidArgument("slice step cannot be zero"))
  #expect(
    arrayError { try ArrayOps.subscript(get: m, [.ellipsis, .ellipsis]) }
      == .invalidArgument("an index can only have a single ellipsis ('...')"))
  if case .invalidArgument(let text)? = arrayError({ try ArrayOps.subscript(get: m, [.indices([0]), .indices([1])]) }) {
    #expect(text.contains("only one integer-array or boolean-mask index"))
  } else {
    Issue.record("two advanced indices should be an invalidArgument error")
  }
  let wrongMask = ArrayValue(shape: [3, 5], values: Array(repeating: 1, count: 15))
  #expect(
    arrayError { try ArrayOps.subscript(get: m, [.mask(wrongMask)]) }
      == .maskShapeMismatch(mask: [3, 5], array: [3, 4], axis: 1))
  let notBoolean = ArrayValue(shape: [3], values: [0, 2, 1])
  #expect(
    arrayError { try ArrayOps.subscript(get: m, [.mask(notBoolean)]) }
      == .invalidArgument("a boolean mask must hold only 0 and 1 (false and true)"))
  var a = m
  #expect(
    arrayError { try ArrayOps.subscript(set: &a, [.index(0)], to: ArraySamples.array([3])) }
      == .shapesDoNotBroadcast(operation: "assignment", [3], [4]))
  #expect(a == m)  // a failed assignment changes nothing
  #expect(
    ArrayError.indexOutOfRange(index: 3, axis: 0, size: 3).message == "index 3 is out of bounds for axis 0 with size 3")
  #expect(
    ArrayError.tooManyIndices(given: 3, dimensions: 2).message
      == "too many indices: the array has 2 dimensions but 3 were indexed")
}

/// The plane view (the shortcut for whole numbers and slices on 1-D and 2-D arrays) against the
/// general resolution, which the numpy tests above check: every subscript of up to two entries,
/// read and assigned with values that fit, broadcast or do not fit, gives the same array or the
/// same error.
@Test func planeViewShortcutEqualsTheGeneralResolution() throws {
  let arrays: [ArrayValue] = [
    ArraySamples.array([5, 6], seed: 1), ArraySamples.array([1, 4], seed: 2), ArraySamples.array([3, 0], seed: 3),
    ArraySamples.array([0, 2], seed: 4), ArraySamples.array([7], seed: 5), ArraySamples.array([0], seed: 6),
  ]
  let entries: [ArrayIndex] = [
    .index(0), .index(-1), .index(2), .index(4), .index(-6), .index(9), .all, .slice(start: 1, stop: nil, step: 2),
    .slice(start: nil, stop: nil, step: -1), .slice(start: -2, stop: 0, step: -1), .slice(start: 10, stop: -10, step: -3),
    .slice(start: 4, stop: 1, step: nil), .slice(start: 1, stop: 3, step: 0), .newAxis, .ellipsis, .indices([0, -1]),
  ]
  var shortcuts = 0
  for a in arrays {
    for idx in subscripts(entries, length: 2) {
      if (try? PlaneView(a.shape, idx)) != nil { shortcuts += 1 }
      let fast = Result { try ArrayOps.subscript(get: a, idx) }
      let general = Result { try ArrayOps.generalSubscript(get: a, idx) }
      #expect(describe(fast) == describe(general), "\(a.shape)[\(idx)]")
      var values = [ArrayValue(scalar: -9), ArrayValue(shape: [1], values: [4]), ArrayValue(shape: [1, 1, 1], values: [3])]
      if case .success(let selected) = general {
        values.append(ArraySamples.array(selected.shape, seed: 7))
        values.append(ArraySamples.array([1] + selected.shape, seed: 8))
        if let last = selected.shape.last { values.append(ArraySamples.array([last], seed: 9)) }
        values.append(ArraySamples.array(selected.shape + [2], seed: 1))
      }
      for v in values {
        let viaShortcut = Result { () throws -> ArrayValue in
          var b = a
          try ArrayOps.subscript(set: &b, idx, to: v)
          return b
        }
        let viaGeneral = Result { () throws -> ArrayValue in
          var b = a
          try ArrayOps.generalSubscript(set: &b, idx, to: v)
          return b
        }
        #expect(describe(viaShortcut) == describe(viaGeneral), "\(a.shape)[\(idx)] = \(v.shape)")
      }
    }
  }
  #expect(shortcuts > 150)  // the shortcut is taken, not only the fallback
}

private func describe(_ r: Result<ArrayValue, any Error>) -> String {
  switch r {
  case .success(let v): return "\(v.shape) \(v.values.map { $0.bitPattern })"
  case .failure(let e): return "error: \(e)"
  }
}
