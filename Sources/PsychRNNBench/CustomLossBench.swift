// `psychrnn-bench --custom-loss`: the cost of a loss written in the language (its gradient from the
// tape, Sources/RNNScript/Differentiation/) next to the built-in one, both through the language as a
// user runs them: PerceptualDiscrimination (T 2000, N_batch 128), Basic N_rec 50, one whole
// `train … training_iters: batches·128` call after two warm-up batches, with PsychRNN's loss_epoch
// 10. Runs alternate (built-in, custom, built-in, …), `--repeats` of each; the figure is the median
// whole-call milliseconds per batch.

import Foundation
import RNNScript

func reportCustomLoss(batches: Int, repeats: Int, json: Bool) throws {
  try reportCustomLossCall(json: json)
  let definitions = """
    def mse(predictions, y, output_mask) {
      return mean((output_mask * (predictions - y)) ** 2)
    }
    def bce(predictions, y, output_mask) {
      eps = 1e-7
      p = clip(predictions, eps, 1 - eps)
      return mean(output_mask * -(y * log(p + eps) + (1 - y) * log(1 - p + eps)))
    }
    """
  let rows: [(name: String, keys: String)] = [
    ("built-in mean_squared_error", ""), ("custom mse", ", loss_function: mse"),
    ("built-in binary_cross_entropy", ", loss_function: \"binary_cross_entropy\""), ("custom bce", ", loss_function: bce"),
  ]
  var times = [[Double]](repeating: [], count: rows.count)
  for _ in 0..<repeats {
    for (i, row) in rows.enumerated() {
      let session = Session()
      try run(
        "seed 1\ntask = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)\n\(definitions)\n"
          + "net = Basic(task, N_rec: 50\(row.keys))\ntrain net task training_iters: 256 verbosity: false", in: session)
      let clock = ContinuousClock(), start = clock.now
      try run("train net task training_iters: \(batches * 128) verbosity: false", in: session)
      times[i].append(seconds(clock.now - start) * 1000 / Double(batches))
    }
  }
  for (i, row) in rows.enumerated() {
    let m = median(times[i])
    let base = median(times[i - i % 2])
    let over = i % 2 == 1 ? String(format: " (%+.1f%% over the built-in)", (m / base - 1) * 100) : ""
    if json {
      emit(
        "{\"loss\": \"\(row.name)\", \"whole_call_ms_per_batch\": \(String(format: "%.2f", m)), \"batches\": \(batches), \"repeats\": \(repeats), \"n_rec\": 50, \"n_batch\": 128}"
      )
    } else {
      emit(
        "\(row.name.padding(toLength: 30, withPad: " ", startingAt: 0))  \(String(format: "%7.2f", m)) ms/batch whole train call (median of \(repeats))\(over)"
      )
    }
  }
}

/// The custom loss's call alone, value and gradient of one (128, 200, 2) batch, as training makes
/// it (the library's `CustomLoss` seam, built from the language function): median of 50.
func reportCustomLossCall(json: Bool) throws {
  let session = Session()
  try run(
    "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)\n"
      + "def mse(predictions, y, output_mask) {\n  return mean((output_mask * (predictions - y)) ** 2)\n}\n"
      + "net = Basic(task, N_rec: 50, loss_function: mse)", in: session)
  guard case .network(let net)? = session.variables["net"], case .custom(let loss) = net.configuration.lossFunction else {
    throw BenchError.usage("no custom loss")
  }
  let n = 128 * 200 * 2
  let z = (0..<n).map { Double($0 % 7) * 0.1 }, y = (0..<n).map { Double($0 % 3) * 0.5 }
  let m = (0..<n).map { $0 % 5 == 0 ? 0.0 : 1.0 }
  var withGradient: [Double] = [], valueOnly: [Double] = []
  for _ in 0..<50 {
    let clock = ContinuousClock(), t0 = clock.now
    _ = try loss.evaluate(z, y, m, [128, 200, 2], true)
    let t1 = clock.now
    _ = try loss.evaluate(z, y, m, [128, 200, 2], false)
    withGradient.append(seconds(t1 - t0) * 1000)
    valueOnly.append(seconds(clock.now - t1) * 1000)
  }
  let (g, v) = (median(withGradient), median(valueOnly))
  if json {
    emit("{\"custom_mse_call_ms\": \(String(format: "%.3f", g)), \"custom_mse_value_only_ms\": \(String(format: "%.3f", v))}")
  } else {
    emit(
      "custom mse call alone: \(String(format: "%.3f", g)) ms with its gradient, \(String(format: "%.3f", v)) ms value only (median of 50; (128, 200, 2))"
    )
  }
}

/// Runs `script` in `session`.
private func run(_ script: String, in session: Session) throws {
  let (statements, diagnostics) = Parser(source: script, commands: Commands.verbs).parse()
  guard diagnostics.isEmpty else { throw BenchError.usage("benchmark script does not parse: \(diagnostics)") }
  for s in statements { _ = try session.execute(s) }
}
