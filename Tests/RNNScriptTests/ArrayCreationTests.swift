// zeros, ones, full, eye, arange and linspace against numpy (values bit for bit: arange and
// linspace are computed by numpy's own formulas), and every size checked before allocating.

import Testing
@testable import RNNScript

@Test(.enabled(if: ArrayNumpy.available))
func creationMatchesNumpy() throws {
  var cases: [NumpyCase] = []
  for shape in [[], [0], [3], [2, 0, 4], [2, 3], [1, 1, 1]] as [[Int]] {
    let text = Format.shape(shape)
    cases.append(NumpyCase("zeros \(shape)", "np.zeros(\(text))") { try ArrayOps.zeros(shape) })
    cases.append(NumpyCase("ones \(shape)", "np.ones(\(text))") { try ArrayOps.ones(shape) })
    cases.append(NumpyCase("full \(shape)", "np.full(\(text), -2.5)") { try ArrayOps.full(shape, -2.5) })
  }
  for (n, m, k) in [
    (0, nil, 0), (1, nil, 0), (3, nil, 0), (3, 5, 0), (5, 3, 0), (4, 4, 1), (4, 4, -2), (3, 4, 4), (3, 4, -3), (2, 6, 3),
  ]
    as [(Int, Int?, Int)]
  {
    cases.append(
      NumpyCase("eye \(n) \(String(describing: m)) \(k)", "np.eye(\(n), \(m.map(String.init) ?? "None"), k=\(k))") {
        try ArrayOps.eye(n, m, k: k)
      })
  }
  let ranges: [(Double, Double?, Double?)] = [
    (5, nil, nil), (0, nil, nil), (-3, nil, nil), (2.5, nil, nil), (1, 10, 3), (0.1, 1, 0.3), (10, 0, -1.5), (0, 1, 0.1),
    (-1, 1, 0.25), (3, 3, 1), (5, 1, 1), (1, 5, -1), (0, 2.2, 0.7), (1e10, 1e10 + 5, 0.5), (0.3, 7.1, 0.13),
  ]
  for (start, stop, step) in ranges {
    let py = "np.arange(\(start)" + (stop.map { ", \($0)" } ?? "") + (step.map { ", \($0)" } ?? "") + ", dtype=np.float64)"
    cases.append(NumpyCase("arange \(start) \(String(describing: stop))", py) { try ArrayOps.arange(start, stop, step: step) })
  }
  let spaces: [(Double, Double, Int, Bool)] = [
    (0, 1, 5, true), (0, 1, 5, false), (1, 0, 7, true), (-3.3, 8.1, 50, true), (2, 2, 4, true), (0, 1, 1, true),
    (0, 1, 1, false), (0, 1, 0, true), (0.1, 0.7, 13, false), (1e-300, 1e-299, 3, true), (5, -5, 2, true),
  ]
  for (start, stop, num, endpoint) in spaces {
    cases.append(
      NumpyCase(
        "linspace \(start) \(stop) \(num) \(endpoint)",
        "np.linspace(\(start), \(stop), \(num), endpoint=\(endpoint ? "True" : "False"))"
      ) {
        try ArrayOps.linspace(start, stop, num: num, endpoint: endpoint)
      })
  }
  #expect(try checkAgainstNumpy(cases) == cases.count)
}

@Test func sizesAreCheckedBeforeAllocating() {
  let limit = ArrayOps.maximumElements
  #expect(arrayError { try ArrayOps.eye(100_000) } == .tooLarge(elements: 10_000_000_000, limit: limit))
  #expect(arrayError { try ArrayOps.zeros([100_001, 1000]) } == .tooLarge(elements: 100_001_000, limit: limit))
  #expect(arrayError { try ArrayOps.ones([1 << 40, 1 << 40]) } == .sizeOverflow(shape: [1 << 40, 1 << 40]))
  #expect(arrayError { try ArrayOps.full([Int.max, 2], 1) } == .sizeOverflow(shape: [Int.max, 2]))
  #expect(arrayError { try ArrayOps.arange(0, 1e9) } == .tooLarge(elements: 1_000_000_000, limit: limit))
  #expect(arrayError { try ArrayOps.arange(.infinity) } == .tooLarge(elements: .max, limit: limit))
  #expect(arrayError { try ArrayOps.linspace(0, 1, num: 200_000_000) } == .tooLarge(elements: 200_000_000, limit: limit))
  // A zero-length axis makes any other axis affordable.
  #expect((try? ArrayOps.zeros([0, 1 << 62]))?.shape == [0, 1 << 62])
  #expect((try? ArrayOps.zeros([limit]))?.values.count == limit)
  // …but not when the other axes alone overflow (ArrayValue itself multiplies them out).
  #expect(arrayError { try ArrayOps.zeros([1 << 62, 1 << 62, 0]) } == .sizeOverflow(shape: [1 << 62, 1 << 62, 0]))
}

@Test func creationRejectsNonsense() {
  #expect(
    arrayError { try ArrayOps.zeros([2, -1]) }
      == .invalidArgument("negative dimensions are not allowed (got -1 in (2, -1))"))
  #expect(arrayError { try ArrayOps.eye(-2) } == .invalidArgument("negative dimensions are not allowed (got -2 in (-2, -2))"))
  #expect(arrayError { try ArrayOps.arange(0, 5, step: 0) } == .invalidArgument("arange: step must not be zero"))
  #expect(arrayError { try ArrayOps.arange(.nan) } != nil)
  #expect(
    arrayError { try ArrayOps.linspace(0, 1, num: -1) }
      == .invalidArgument("linspace: the number of samples, -1, must be non-negative"))
  #expect(ArrayError.tooLarge(elements: 10_000_000_000, limit: 100_000_000).message.contains("10000000000"))
}
