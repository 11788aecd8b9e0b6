// The fixed-point search (Analysis/FixedPoints.swift, Models/Basic/BasicStepMap.swift) checked
// against independent computations: F against the Float64 simulator's own step (with Dale's law,
// masks and cuts), the analytic Jacobian against central finite differences for every transfer
// function, Newton polishing down to rounding-level q, a true fixed point staying put for 2,000
// simulated steps, eigenvalues against numpy.linalg.eig of the same Jacobian, and slow points
// labelled as such on a map whose slow point and fixed point are known in closed form.

import Foundation
import Linear
import NumpyFormat
import TestSupport
import Testing

@testable import PsychRNN

private func simulator(_ m: Basic<Double>, from x: [Double]) throws -> BasicSimulator {
  var s = try BasicSimulator(model: m)
  s.weights.initState = Matrix(rows: 1, cols: x.count, storage: x)
  s.recNoise = 0
  return s
}

/// `steps` simulated steps at constant input u from x; the states.
private func simulate(
  _ m: Basic<Double>, from x: [Double], input u: [Double], steps: Int, ablation: Ablation = Ablation()
)
  throws -> Tensor3<Double>
{
  let s = try simulator(m, from: x)
  var rng = NumpyRandom(seed: 0)
  let inputs = Tensor3<Double>(1, steps, u.count, storage: (0..<steps).flatMap { _ in u })
  return try s.runTrials(inputs, ablation: ablation, noise: &rng).states
}

@Test(arguments: TransferFunction.allCases)
func stepMapIsTheSimulatorsStepAndItsJacobianTheFiniteDifference(phi: TransferFunction) throws {
  let m = try tinyModel(nRec: 7, phi: phi, dale: 0.7, masks: true)
  let cuts = Ablation([TimedCut(.unit(2)), TimedCut(.recurrent(to: 4, from: 5)), TimedCut(.input(to: 1, from: 0))])
  let u = [0.4, -0.7]
  let map = try m.stepMap(input: u, ablation: cuts)
  var rng = NumpyRandom(seed: 11)
  for _ in 0..<4 {
    // Away from relu's kinks (|x| > 1e-3), where finite differences are exact enough.
    let x = (0..<7).map { _ -> Double in
      let v = rng.normal()
      return abs(v) < 1e-2 ? v + 0.1 : v
    }
    let sim = try simulate(m, from: x, input: u, steps: 1, ablation: cuts)
    let f = map.step(x)
    for i in 0..<7 { #expect(abs(f[i] - sim[0, 0, i]) < 1e-13, "F(x)[\(i)] \(f[i]) vs simulator \(sim[0, 0, i])") }
    let j = map.jacobian(x)
    let h = 1e-6
    var worst = 0.0
    for k in 0..<7 {
      var plus = x, minus = x
      plus[k] += h; minus[k] -= h
      let fp = map.step(plus), fm = map.step(minus)
      for i in 0..<7 { worst = max(worst, abs((fp[i] - fm[i]) / (2 * h) - j[i, k])) }
    }
    #expect(worst < 1e-7, "\(phi): the Jacobian differs from finite differences by \(worst)")
    // q(x) = ½‖F(x) − x‖², from the simulator's step.
    let q = FixedPointSearch.residual(map, x).q
    let direct = (0..<7).reduce(0.0) { $0 + pow(sim[0, 0, $1] - x[$1], 2) } / 2
    #expect(abs(q - direct) <= 1e-13 * max(1, direct))
  }
}

@Test(arguments: [TransferFunction.tanh, .relu, .softplus])
func newtonPolishingReachesRoundingLevelAndTheFixedPointStaysPut(phi: TransferFunction) throws {
  var m = try tinyModel(nRec: 12, phi: phi, dale: phi == .relu ? 0.75 : nil, seed: 5)
  // Weights scaled so that fixed points exist (tanh: several; relu under Dale's law and softplus:
  // one, the relu network's spectral radius 0.8, the softplus network's 1.2).
  m.variables.W_rec = m.variables.W_rec.map { (phi == .tanh ? 1.6 : phi == .relu ? 0.3 : 0.5) * $0 }
  let u = [0.0, 0.0]
  let map = try m.stepMap(input: u, ablation: Ablation())
  var rng = NumpyRandom(seed: 4)
  let starts = Matrix<Double>(rows: 64, cols: 12) { _, _ in 2 * rng.normal() }
  let found = try FixedPointSearch(map: map, initialStates: starts)
  let fixed = found.points.filter(\.isFixed)
  #expect(!fixed.isEmpty, "\(phi): no true fixed point among \(found.points.map(\.q)) \(found.outliers) \(found.duplicates)")
  for p in fixed {
    #expect(p.q < 1e-20)
    let direct = FixedPointSearch.residual(map, p.x).q
    #expect(direct == p.q)
    // Polishing from a nearby point (minimisation stopped at tol_q) gets back to rounding level.
    let nudged = p.x.map { $0 + 1e-5 }
    let polished = FixedPointSearch.polish(map, from: nudged, q: FixedPointSearch.residual(map, nudged).q, options: .init())
    #expect(polished.q < 1e-20, "\(phi): polishing stopped at q \(polished.q)")
    // Simulated from x* at the same input, the state stays where it is (stable or not: rounding
    // errors of 1e-16 grow at most by |λ|^steps, so few steps for unstable points).
    let steps = p.isStable ? 2000 : 20
    let states = try simulate(m, from: p.x, input: u, steps: steps)
    var drift = 0.0
    for s in 0..<steps { for i in 0..<12 { drift = max(drift, abs(states[0, s, i] - p.x[i])) } }
    #expect(drift < 1e-9, "\(phi): a fixed point drifted by \(drift) in \(steps) steps")
  }
  // Every pair of reported points is at least tol_unique apart.
  for a in found.points.indices {
    for b in found.points.indices where a < b {
      #expect(FixedPointSearch.distance(found.points[a].x, found.points[b].x) >= 1e-3)
    }
  }
}

@Test func eigenvaluesAreNumpysOfTheSameJacobianSortedByMagnitude() throws {
  var m = try tinyModel(nRec: 10, phi: .tanh, seed: 8)
  m.variables.W_rec = m.variables.W_rec.map { 1.8 * $0 }
  let map = try m.stepMap(input: [0.3, 0.1], ablation: Ablation())
  var rng = NumpyRandom(seed: 2)
  let found = try FixedPointSearch(map: map, initialStates: Matrix(rows: 32, cols: 10) { _, _ in rng.normal() })
  #expect(!found.points.isEmpty)
  let dir = try makeTemporaryDirectory("psychrnn-fixed-points")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let k = found.points.count
  try writeNPY(NumpyArray(shape: [k, 10, 10], float64: found.points.flatMap(\.jacobian.storage)), to: dir + "/J.npy")
  let script = """
    import sys, numpy as np
    J = np.load(sys.argv[1] + '/J.npy')
    for j in J:
        w = np.linalg.eig(j)[0]
        w = sorted(w, key=lambda z: (-abs(z), -z.real, -z.imag))
        print(' '.join('%r %r' % (float(z.real), float(z.imag)) for z in w))
    """
  let lines = try Python.run(script, arguments: [dir]).split(separator: "\n")
  #expect(lines.count == k)
  for (p, line) in zip(found.points, lines) {
    let v = line.split(separator: " ").compactMap { Double($0) }
    for i in 0..<10 {
      #expect(abs(p.eigenvaluesReal[i] - v[2 * i]) < 1e-10 && abs(p.eigenvaluesImaginary[i] - v[2 * i + 1]) < 1e-10)
    }
    // Sorted by |λ| descending, and stability is |λ| < 1 for all.
    let mags = zip(p.eigenvaluesReal, p.eigenvaluesImaginary).map { ($0 * $0 + $1 * $1).squareRoot() }
    #expect(mags == mags.sorted(by: >))
    #expect(p.isStable == (mags[0] < 1))
    // The leading mode is an eigenvector of a real leading eigenvalue: J·v = λ·v.
    if p.eigenvaluesImaginary[0] == 0 {
      let jv = p.jacobian.matmul(Matrix(rows: 10, cols: 1, storage: p.leadingMode)).storage
      for i in 0..<10 { #expect(abs(jv[i] - p.eigenvaluesReal[0] * p.leadingMode[i]) < 1e-10) }
    }
  }
}

/// F(x) = x + 0.1·(x − 2)·(a + x²): one root at x = 2 and, for small a > 0, a slow point near
/// x = a/4 where q has a positive minimum of about 0.02·a².
private struct GhostMap: StepMap {
  let a: Double
  var dimension: Int { 1 }
  func step(_ x: [Double]) -> [Double] { [x[0] + 0.1 * (x[0] - 2) * (a + x[0] * x[0])] }
  func jacobian(_ x: [Double]) -> Matrix<Double> {
    Matrix(rows: 1, cols: 1, storage: [1 + 0.1 * (a + x[0] * x[0] + 2 * x[0] * (x[0] - 2))])
  }
}

@Test func slowPointsAreLabelledApartFromTrueFixedPoints() throws {
  let map = GhostMap(a: 1e-3)
  let starts = Matrix<Double>(rows: 6, cols: 1, storage: [-0.3, -0.1, 0.05, 0.2, 1.8, 2.3])
  let found = try FixedPointSearch(map: map, initialStates: starts)
  let fixed = found.points.filter(\.isFixed), slow = found.points.filter { !$0.isFixed }
  #expect(fixed.count == 1)
  #expect(abs((fixed.first?.x[0] ?? 0) - 2) < 1e-12)
  #expect(fixed.first?.eigenvaluesReal[0] ?? 0 > 1)  // r'(2) = 0.1·(a + 4) > 0: unstable
  #expect(slow.count == 1, "slow points: \(slow.map(\.x))")
  if let s = slow.first {
    // The minimum of q: 3x² − 4x + a = 0, x = (4 − √(16 − 12a))/6.
    let xMin = (4 - (16 - 12 * map.a).squareRoot()) / 6
    #expect(abs(s.x[0] - xMin) < 1e-5)
    #expect(s.q > 1e-9 && s.q < 1e-7)
    #expect(!s.isFixed)
  }
  // The slow point comes after the fixed point.
  #expect(found.points.first?.isFixed == true)
}

@Test func badOptionsAndStartsAreClearErrors() throws {
  let map = GhostMap(a: 1e-3)
  var o = FixedPointOptions()
  o.tolQ = -1
  #expect(throws: ConfigurationError.self) { try FixedPointSearch(map: map, initialStates: Matrix(rows: 1, cols: 1), options: o) }
  #expect(throws: ConfigurationError.self) { try FixedPointSearch(map: map, initialStates: Matrix(rows: 2, cols: 3)) }
  #expect(throws: ConfigurationError.self) {
    try FixedPointSearch(map: map, initialStates: Matrix(rows: 1, cols: 1, storage: [.nan]))
  }
  let m = try tinyModel(nRec: 4)
  #expect(throws: ConfigurationError.self) {
    try m.stepMap(input: [0, 0], ablation: Ablation([TimedCut(.unit(1), from: 10, to: 20)]))
  }
  #expect(throws: ConfigurationError.self) { try m.stepMap(input: [0], ablation: Ablation()) }
}
