// psychrnn: for now a small demonstration of the library (the interactive shell replaces it):
// a Basic network on PerceptualDiscrimination, its untrained accuracy, a short training run
// with progress, and its accuracy afterwards.

import Foundation
import Linear
import PsychRNN

func line(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

do {
  var streams = RandomStreams(seed: 7)
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 128)
  var model = try Basic<Float>(configuration: ModelConfiguration(task: task.timing, nRec: 50), using: &streams.initialization)
  func accuracy() throws -> Double {
    let batch = task.makeBatch(number: 1, using: &streams.trials)
    let out = try model.forward(batch.x.converted()).outputs.converted(to: Double.self)
    return task.accuracy(targets: batch.y, outputs: out, mask: batch.mask)
  }
  line("PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128), Basic N_rec 50, seed 7")
  line(String(format: "untrained accuracy: %.3f", try accuracy()))
  var options = TrainingOptions()
  options.trainingIters = 20_000
  var source = TrainingSource.task(task)
  let result = try model.train(&source, options: options, trials: &streams.trials, noise: &streams.noise, onEvent: { event in
    if case .loss(let p) = event {
      line(String(format: "  trials %6d  loss %.5f  accuracy %.3f  %.0f trials/s", p.trials, p.loss ?? .nan, p.accuracy ?? .nan, p.trialsPerSecond))
    }
  })
  line(String(format: "trained on %d trials in %.2f s; accuracy: %.3f", result.trials, result.trainingTime, try accuracy()))
} catch {
  FileHandle.standardError.write(Data("psychrnn: \(error)\n".utf8))
  exit(1)
}
