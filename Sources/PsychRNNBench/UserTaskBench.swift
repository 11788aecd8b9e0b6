// The benchmark's user task: PsychRNN's PerceptualDiscrimination written in the language
// (bench/user_tasks.rnn), so `--configs pd50,pd50script` trains on the built-in and the written
// one side by side, and `--generation` times drawing their batches alone.

import Foundation
import Linear
import PsychRNN
import RNNScript

/// `ScriptPerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)` from bench/user_tasks.rnn
/// (or from the file `PSYCHRNN_BENCH_TASKS` names, to time variants of it).
func scriptPerceptualDiscrimination() throws -> any Task {
  let file =
    ProcessInfo.processInfo.environment["PSYCHRNN_BENCH_TASKS"].map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../bench/user_tasks.rnn")
  let source = try String(contentsOf: file, encoding: .utf8)
  let session = Session()
  let (statements, diagnostics) = Parser(
    source: source + "\ntask = ScriptPerceptualDiscrimination(10, 100, 2000, 128)\n", commands: Commands.verbs
  ).parse()
  guard diagnostics.isEmpty else { throw BenchError.usage("bench/user_tasks.rnn does not parse: \(diagnostics)") }
  for s in statements { _ = try session.execute(s) }
  guard case .task(let t)? = session.variables["task"] else { throw BenchError.usage("bench/user_tasks.rnn made no task") }
  return t.task
}

/// Milliseconds to draw one batch of each configuration's task, alone on one thread: the median
/// of `batches` draws and the whole loop's time per batch; then, in the same run, the median
/// training batch of the built-in `pd50` (N_rec 50, N_batch 128, both cores, no loss recording)
/// and each generation as a fraction of it (issue 11: at most one half for a task of your own).
func reportGeneration(configs: [BenchConfig], batches: Int, json: Bool) throws {
  var generated: [(name: String, median: Double)] = []
  for config in configs {
    var generator = BatchGenerator(task: try config.makeTask())
    var rng = NumpyRandom(seed: 1)
    _ = try generator.next(using: &rng)  // warm-up
    var times: [Double] = []
    let clock = ContinuousClock(), start = clock.now
    for _ in 0..<batches {
      let t0 = clock.now
      _ = try generator.next(using: &rng)
      times.append(seconds(clock.now - t0) * 1000)
    }
    let whole = seconds(clock.now - start) * 1000 / Double(batches)
    generated.append((config.name, median(times)))
    if json {
      emit(
        "{\"generation\": \"\(config.name)\", \"median_ms\": \(String(format: "%.3f", median(times))), \"whole_ms_per_batch\": \(String(format: "%.3f", whole))}"
      )
    } else {
      emit(
        "generation \(config.name.padding(toLength: 10, withPad: " ", startingAt: 0))  \(String(format: "%7.3f", median(times))) ms/batch (median of \(batches))  whole loop \(String(format: "%.3f", whole)) ms/batch"
      )
    }
  }
  guard let reference = benchmarkConfigs().first(where: { $0.name == "pd50" }) else { return }
  let training = try reference.run(MsPerBatch(batches: max(20, batches / 3), oneCore: false, lossEpoch: nil), seed: 7)
  for g in generated {
    let ratio = g.median / training.median
    if json {
      emit(
        "{\"generation\": \"\(g.name)\", \"training_batch_ms_pd50\": \(String(format: "%.3f", training.median)), \"fraction_of_training_batch\": \(String(format: "%.3f", ratio))}"
      )
    } else {
      emit(
        "generation \(g.name.padding(toLength: 10, withPad: " ", startingAt: 0))  \(String(format: "%.2f", ratio)) of a pd50 training batch (\(String(format: "%.2f", training.median)) ms, median, same run)"
      )
    }
  }
}
