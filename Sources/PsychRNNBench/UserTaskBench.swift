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
/// of `batches` draws and the whole loop's time per batch.
func reportGeneration(configs: [BenchConfig], batches: Int, json: Bool) throws {
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
}
