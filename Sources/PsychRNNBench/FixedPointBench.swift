// `psychrnn-bench --fixed-points WEIGHTS.npz --inits STARTS.npy [--input 0,0] [--dt 10] [--tau 100]
// [--out found.npz] [--repeats 5]`: the fixed-point search (PsychRNN/Analysis/FixedPoints.swift) of
// a saved Basic network from given starting states, timed: the median search over `--repeats`
// runs, and the whole call (reading the file, building the map, searching). `--out` writes what was
// found (xstar, q, fixed, stable, eig_real, eig_imag) for bench/fixed_points_oracle.py to compare
// with FixedPointFinder on the same weights, input and starts.

import Foundation
import Linear
import NumpyFormat
import PsychRNN

struct FixedPointBench {
  var weights = ""
  var inits = ""
  var input: [Double] = []
  var dt = 10.0
  var tau = 100.0
  var out: String? = nil

  func run(repeats: Int, json: Bool) throws {
    let clock = ContinuousClock()
    var searches: [Double] = [], wholes: [Double] = []
    var last: FixedPointSearch? = nil
    let startsArray = try readNPY(path: inits)
    guard startsArray.shape.count == 2 else { throw BenchError.usage("--inits must be a 2-d array (starts × units)") }
    let starts = Matrix(rows: startsArray.shape[0], cols: startsArray.shape[1], storage: try startsArray.asDoubles())
    for _ in 0..<repeats {
      let begin = clock.now
      let contents = try Checkpoint.load(path: weights)
      let sizes = Basic<Float>.sizes(in: contents)
      let config = ModelConfiguration(
        nIn: sizes["N_in"] ?? 0, nRec: sizes["N_rec"] ?? 0, nOut: sizes["N_out"] ?? 0, nSteps: 1, dt: dt, tau: tau, nBatch: 1)
      let model = try Basic<Float>(configuration: config, checkpoint: contents, path: weights)
      let u = input.isEmpty ? [Double](repeating: 0, count: config.nIn) : input
      let map = try model.stepMap(input: u, ablation: Ablation())
      let searchStart = clock.now
      let found = try FixedPointSearch(map: map, initialStates: starts)
      let end = clock.now
      searches.append(seconds(end - searchStart))
      wholes.append(seconds(end - begin))
      last = found
    }
    guard let found = last else { return }
    let k = found.points.count, n = starts.cols
    let nFixed = found.points.filter(\.isFixed).count
    if let out {
      func column(_ f: (FixedPoint) -> Double) -> NumpyArray { NumpyArray(shape: [k], float64: found.points.map(f)) }
      func rows(_ f: (FixedPoint) -> [Double]) -> NumpyArray { NumpyArray(shape: [k, n], float64: found.points.flatMap(f)) }
      try writeNPZ(
        [
          ("xstar", rows(\.x)), ("q", column(\.q)), ("fixed", column { $0.isFixed ? 1 : 0 }),
          ("stable", column { $0.isStable ? 1 : 0 }), ("eig_real", rows(\.eigenvaluesReal)),
          ("eig_imag", rows(\.eigenvaluesImaginary)),
          ("seconds", NumpyArray(shape: [], float64: [median(searches)])),
          ("whole_seconds", NumpyArray(shape: [], float64: [median(wholes)])),
        ], to: out)
    }
    if json {
      emit(
        "{\"fixed_points_starts\": \(starts.rows), \"n_rec\": \(n), \"points\": \(k), \"fixed\": \(nFixed), "
          + "\"median_s\": \(String(format: "%.4f", median(searches))), \"whole_call_s\": \(String(format: "%.4f", median(wholes))), "
          + "\"lm_iterations\": \(found.iterations), \"repeats\": \(repeats)}")
    } else {
      emit(
        "fixed points  N_rec \(n)  \(starts.rows) starts  \(String(format: "%.3f", median(searches))) s (median of \(repeats))  "
          + "whole call \(String(format: "%.3f", median(wholes))) s  \(nFixed) true fixed point\(nFixed == 1 ? "" : "s"), "
          + "\(k - nFixed) slow  (\(found.iterations) Levenberg–Marquardt iterations, \(found.duplicates) duplicates, \(found.outliers) outliers)"
      )
    }
  }
}
