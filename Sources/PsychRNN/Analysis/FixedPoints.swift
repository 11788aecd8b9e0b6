// Fixed points and slow points of a network's update F at a constant input (StepMap.swift), in
// Float64. With r(x) = F(x) − x and q(x) = ½‖r(x)‖²:
//
//  1. From each initial state, Levenberg–Marquardt on r: with A = dF/dx − I, solve
//     (AᵀA + μI)·δ = −Aᵀr, take x + δ when it lowers q (μ ← μ/3), else μ ← 4μ and solve again.
//     Stop when q < tolQ, when the gradient Aᵀr or the step vanishes or q has stopped falling (5
//     steps in a row lowering it by less than 1e-8 of itself: a local minimum of q, a slow point),
//     or after maxIterations.
//  2. Newton polishing: x ← x − A⁻¹·r while it helps. Near a root this converges quadratically to
//     rounding level; for a piecewise-linear φ (relu, relu6, linear) F is affine within an
//     activation pattern, so one Newton step is the exact solve (I − α⁻¹·(J − (1−α)I))·x = c of
//     that pattern, and further steps move between patterns until one is consistent.
//  3. A point is a true fixed point (`isFixed`) when its q is below tolFixed (rounding level, 1e-20
//     by default); every other result is a slow point, kept with its q. When Newton reaches a root
//     farther than tolUnique from where minimisation stopped, both are kept.
//  4. Outliers (farther from the initial states' centroid than outlierScale × their mean distance
//     from it) and duplicates (closer than tolUnique, Euclidean; the one with the smaller q stays)
//     are dropped.
//  5. Each point's Jacobian dF/dx, its eigenvalues (LAPACK dgeev) sorted by |λ| descending, the
//     eigenvector of the largest, and stability (every |λ| < 1).

import Linear

/// How the search runs.
public struct FixedPointOptions: Sendable, Equatable {
  /// Minimisation stops once q is below this.
  public var tolQ = 1e-12
  /// Levenberg–Marquardt iterations per initial state, at most.
  public var maxIterations = 200
  /// Newton polishing steps per point, at most.
  public var newtonIterations = 30
  /// Points closer than this (Euclidean) are one point.
  public var tolUnique = 1e-3
  /// q below this is a true fixed point (rounding level in Float64).
  public var tolFixed = 1e-20
  /// Points farther than this many mean distances from the initial states' centroid are dropped.
  public var outlierScale = 10.0
  /// Points whose q is above this are dropped (no limit by default).
  public var maxQ = Double.infinity

  public init() {}
}

/// One fixed or slow point.
public struct FixedPoint: Sendable {
  public var x: [Double]
  /// ½‖F(x) − x‖².
  public var q: Double
  /// q at rounding level: a true fixed point, not a slow point.
  public var isFixed: Bool
  /// dF/dx at x.
  public var jacobian: Matrix<Double>
  /// Eigenvalues of the Jacobian, sorted by |λ| descending (a conjugate pair: positive imaginary first).
  public var eigenvaluesReal: [Double]
  public var eigenvaluesImaginary: [Double]
  /// The real part of the eigenvector of the first eigenvalue, of unit length.
  public var leadingMode: [Double]
  /// Every |λ| < 1.
  public var isStable: Bool { zip(eigenvaluesReal, eigenvaluesImaginary).allSatisfy { ($0 * $0 + $1 * $1) < 1 } }
}

/// What a search found, and what it dropped.
public struct FixedPointSearch: Sendable {
  /// True fixed points first, then slow points, each by q ascending.
  public var points: [FixedPoint]
  /// How many initial states were used.
  public var starts: Int
  /// Candidates dropped as distance outliers and as duplicates.
  public var outliers: Int
  public var duplicates: Int
  /// Levenberg–Marquardt iterations, summed over the starts.
  public var iterations: Int

  /// Searches `map` from each of `initialStates` (rows).
  public init(map: any StepMap, initialStates: Matrix<Double>, options o: FixedPointOptions = FixedPointOptions()) throws {
    let n = map.dimension
    guard initialStates.cols == n else {
      throw ConfigurationError.shapeMismatch(key: "inits", expected: [initialStates.rows, n], got: [initialStates.rows, n])
    }
    guard initialStates.rows >= 1 else { throw ConfigurationError.invalid(key: "inits", message: "needs at least one state") }
    guard initialStates.isFinite else { throw ConfigurationError.invalid(key: "inits", message: "must hold finite numbers") }
    try Self.check(o)
    let starts = (0..<initialStates.rows).map { initialStates.row($0) }
    var candidates: [(x: [Double], q: Double)] = []
    var iterations = 0
    for x0 in starts {
      let m = Self.minimise(map, from: x0, options: o)
      iterations += m.iterations
      let polished = Self.polish(map, from: m.x, q: m.q, options: o)
      if polished.q < o.tolFixed {
        candidates.append(polished)
        if m.q >= o.tolFixed && Self.distance(polished.x, m.x) > o.tolUnique { candidates.append((m.x, m.q)) }
      } else {
        candidates.append(polished.q < m.q ? polished : (m.x, m.q))
      }
    }
    // Outliers: far from where the starts are.
    var centroid = [Double](repeating: 0, count: n)
    for s in starts { for j in 0..<n { centroid[j] += s[j] / Double(starts.count) } }
    let spread = starts.map { Self.distance($0, centroid) }.reduce(0, +) / Double(starts.count)
    let kept = candidates.filter { $0.q.isFinite && $0.q <= o.maxQ && $0.x.allSatisfy(\.isFinite) }
    let near = kept.filter { Self.distance($0.x, centroid) <= o.outlierScale * max(spread, 1e-12) }
    // Duplicates: the smallest q of each cluster stays.
    var unique: [(x: [Double], q: Double)] = []
    for c in near.sorted(by: { $0.q < $1.q }) where !unique.contains(where: { Self.distance($0.x, c.x) < o.tolUnique }) {
      unique.append(c)
    }
    points = try unique.map { try Self.describe(map, $0.x, q: $0.q, fixed: $0.q < o.tolFixed) }
    self.starts = starts.count
    self.outliers = kept.count - near.count
    self.duplicates = near.count - unique.count
    self.iterations = iterations
  }

  static func check(_ o: FixedPointOptions) throws {
    func positive(_ v: Double, _ key: String) throws {
      guard v.isFinite && v > 0 else {
        throw ConfigurationError.invalid(key: key, message: "must be a positive number, got \(v)")
      }
    }
    try positive(o.tolQ, "tol_q")
    try positive(o.tolUnique, "tol_unique")
    try positive(o.tolFixed, "tol_fixed")
    try positive(o.outlierScale, "outlier_scale")
    guard o.maxQ > 0 && !o.maxQ.isNaN else {
      throw ConfigurationError.invalid(key: "max_q", message: "must be a positive number, got \(o.maxQ)")
    }
    guard (0...100_000).contains(o.maxIterations) else {
      throw ConfigurationError.invalid(key: "max_iters", message: "must be between 0 and 100000, got \(o.maxIterations)")
    }
    guard (0...1000).contains(o.newtonIterations) else {
      throw ConfigurationError.invalid(key: "newton_iters", message: "must be between 0 and 1000, got \(o.newtonIterations)")
    }
  }

  // MARK: - The pieces, each usable alone

  /// r(x) = F(x) − x and q(x) = ½‖r‖².
  public static func residual(_ map: any StepMap, _ x: [Double]) -> (r: [Double], q: Double) {
    let f = map.step(x)
    var r = f
    var q = 0.0
    for i in r.indices {
      r[i] -= x[i]
      q += r[i] * r[i]
    }
    return (r, q / 2)
  }

  /// Levenberg–Marquardt on r from x0.
  public static func minimise(
    _ map: any StepMap, from x0: [Double], options o: FixedPointOptions
  ) -> (x: [Double], q: Double, iterations: Int) {
    let n = map.dimension
    var x = x0
    var (r, q) = residual(map, x)
    var mu = -1.0
    var iterations = 0
    var stalled = 0
    while iterations < o.maxIterations && q >= o.tolQ && q.isFinite {
      iterations += 1
      var a = map.jacobian(x)
      for i in 0..<n { a.storage[i * n + i] -= 1 }
      // g = Aᵀr and H = AᵀA.
      var g = [Double](repeating: 0, count: n)
      var h = Matrix<Double>(rows: n, cols: n)
      a.storage.withUnsafeBufferPointer { ap in
        r.withUnsafeBufferPointer { rp in
          g.withUnsafeMutableBufferPointer { gp in
            Double.gemv(
              transA: true, m: n, n: n, alpha: 1, a: ap.baseAddress!, lda: n, x: rp.baseAddress!, beta: 0, y: gp.baseAddress!)
          }
        }
        h.storage.withUnsafeMutableBufferPointer { hp in
          Double.gemm(
            transA: true, transB: false, m: n, n: n, k: n, alpha: 1, a: ap.baseAddress!, lda: n, b: ap.baseAddress!, ldb: n,
            beta: 0, c: hp.baseAddress!, ldc: n)
        }
      }
      let gradient = g.reduce(0) { max($0, abs($1)) }
      let scale = (0..<n).reduce(0.0) { max($0, h[$1, $1]) }
      // Stationary: a local minimum of q (∇q = Aᵀr ≈ 0 relative to ‖A‖·‖r‖).
      if gradient <= 1e-14 * scale.squareRoot() * r.reduce(0) { max($0, abs($1)) } { break }
      if mu < 0 { mu = 1e-3 * max(scale, 1e-12) }
      var accepted = false
      while mu <= 1e12 * max(scale, 1e-12) {
        var damped = h
        for i in 0..<n { damped.storage[i * n + i] += mu }
        guard let delta = try? solveLinearSystem(damped, g.map { -$0 }) else {
          mu *= 4
          continue
        }
        let trial = zip(x, delta).map { $0 + $1 }
        let (rt, qt) = residual(map, trial)
        if qt < q {
          let stepSize = delta.reduce(0) { max($0, abs($1)) }
          // Creeping towards a positive minimum of q (a slow point): stop after 5 steps of
          // relative progress below 1e-8.
          stalled = q - qt < 1e-8 * q ? stalled + 1 : 0
          x = trial; r = rt; q = qt
          if stalled >= 5 { return (x, q, iterations) }
          mu = max(mu / 3, 1e-15 * max(scale, 1e-12))
          accepted = true
          if stepSize <= 1e-15 * (x.reduce(0) { max($0, abs($1)) } + 1e-15) { return (x, q, iterations) }
          break
        }
        mu *= 4
      }
      if !accepted { break }
    }
    return (x, q, iterations)
  }

  /// Newton steps x ← x − (dF/dx − I)⁻¹·r from x, keeping the best point; stops at rounding level
  /// (once a step no longer lowers q below tolFixed), on a singular system, or when q blows up.
  public static func polish(
    _ map: any StepMap, from x0: [Double], q q0: Double, options o: FixedPointOptions
  ) -> (x: [Double], q: Double) {
    let n = map.dimension
    var best = (x: x0, q: q0)
    var x = x0
    var (r, q) = residual(map, x)
    for _ in 0..<o.newtonIterations {
      var a = map.jacobian(x)
      for i in 0..<n { a.storage[i * n + i] -= 1 }
      guard let delta = try? solveLinearSystem(a, r.map { -$0 }) else { break }
      let next = zip(x, delta).map { $0 + $1 }
      let (rn, qn) = residual(map, next)
      guard qn.isFinite, qn <= 1e6 * max(q0, 1e-300) || qn < q else { break }
      let improved = qn < best.q
      if improved { best = (next, qn) }
      if best.q < o.tolFixed && !(qn < q) { break }
      x = next; r = rn; q = qn
    }
    return best
  }

  /// A point's Jacobian, sorted eigenvalues and leading mode.
  public static func describe(_ map: any StepMap, _ x: [Double], q: Double, fixed: Bool) throws -> FixedPoint {
    let j = map.jacobian(x)
    let e = try eigendecomposition(of: j)
    let order = e.real.indices.sorted { a, b in
      let ma = e.real[a] * e.real[a] + e.imaginary[a] * e.imaginary[a]
      let mb = e.real[b] * e.real[b] + e.imaginary[b] * e.imaginary[b]
      if ma != mb { return ma > mb }
      if e.real[a] != e.real[b] { return e.real[a] > e.real[b] }
      return e.imaginary[a] > e.imaginary[b]
    }
    var mode = order.first.map { e.vectorsReal.row($0) } ?? []
    let norm = mode.reduce(0) { $0 + $1 * $1 }.squareRoot()
    if norm > 0 { mode = mode.map { $0 / norm } }
    if let big = mode.indices.max(by: { abs(mode[$0]) < abs(mode[$1]) }), mode[big] < 0 { mode = mode.map { -$0 } }
    return FixedPoint(
      x: x, q: q, isFixed: fixed, jacobian: j, eigenvaluesReal: order.map { e.real[$0] },
      eigenvaluesImaginary: order.map { e.imaginary[$0] }, leadingMode: mode)
  }

  static func distance(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += (a[i] - b[i]) * (a[i] - b[i]) }
    return s.squareRoot()
  }

  /// `count` initial states: rows of `states` (samples × units) drawn uniformly with replacement,
  /// plus independent Gaussian noise of standard deviation `noise`, all from `rng`.
  public static func sampleStates(
    _ states: Matrix<Double>, count: Int, noise: Double, using rng: inout NumpyRandom
  ) throws -> Matrix<Double> {
    guard states.rows >= 1 else { throw ConfigurationError.invalid(key: "inits", message: "no states to sample from") }
    guard noise.isFinite && noise >= 0 else {
      throw ConfigurationError.invalid(key: "noise", message: "must be a number ≥ 0, got \(noise)")
    }
    var out = Matrix<Double>(rows: count, cols: states.cols)
    for k in 0..<count {
      let i = min(Int(rng.uniform() * Double(states.rows)), states.rows - 1)
      for j in 0..<states.cols { out[k, j] = states[i, j] + (noise > 0 ? noise * rng.normal() : 0) }
    }
    return out
  }
}
