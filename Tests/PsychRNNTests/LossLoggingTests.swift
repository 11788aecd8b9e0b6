// The losses training records every loss_epoch batches come from a forward pass alone: they must be
// the numbers the full forward-and-backward pass gives (loss + regularization), with the same noise
// draws, for Basic (noise, Dale, masks, every regularizer) and the LSTM (firing-rate term).

import Testing
import Linear
@testable import PsychRNN

private func pd(batch: Int) throws -> PerceptualDiscrimination {
  try PerceptualDiscrimination(dt: 10, tau: 100, duration: 500, nBatch: batch)
}

@Test(arguments: [TransferFunction.relu, .tanh, .softplus])
func basicForwardLossEqualsLossAndGradients(_ phi: TransferFunction) throws {
  let task = try pd(batch: 12)
  var config = ModelConfiguration(task: task.timing, nRec: 16)
  config.transferFunction = phi
  config.recNoise = 0.05
  config.regularization.L1_rec = 0.01
  config.regularization.L2_in = 0.02
  config.regularization.L2_out = 0.03
  config.regularization.L2_firing_rate = 0.05
  var options = InitializerOptions()
  options.daleRatio = 0.75
  options.autapses = false
  var rng = NumpyRandom(seed: 11)
  let model = try Basic<Float>(configuration: config, options: options, using: &rng)
  var trials = NumpyRandom(seed: 5)
  let batch = try task.makeBatch(number: 1, using: &trials)
  let ws = model.makeTrainingWorkspace(options: TrainingOptions())
  var noiseA = NumpyRandom(seed: 9), noiseB = NumpyRandom(seed: 9)
  let full = try model.lossAndGradients(of: batch, workspace: ws, noise: &noiseA)
  let forward = try model.loss(of: batch, workspace: ws, noise: &noiseB)
  #expect(full.regularization > 0)
  #expect(forward.total == full.total)  // the same sums in the same order
  #expect(forward.outputs == full.outputs.converted(to: Double.self))
  #expect(noiseA.normal() == noiseB.normal())  // the same noise draws were taken
}

@Test func lstmForwardLossEqualsLossAndGradients() throws {
  let task = try pd(batch: 6)
  var config = ModelConfiguration(task: task.timing, nRec: 12)
  config.regularization.L2_firing_rate = 0.02
  config.regularization.L2_out = 0.01
  var rng = NumpyRandom(seed: 3)
  let model = try LSTM<Float>(configuration: config, using: &rng)
  var trials = NumpyRandom(seed: 4)
  let batch = try task.makeBatch(number: 1, using: &trials)
  let ws = model.makeTrainingWorkspace(options: TrainingOptions())
  var noise = NumpyRandom(seed: 1)
  let full = try model.lossAndGradients(of: batch, workspace: ws, noise: &noise)
  let forward = try model.loss(of: batch, workspace: ws, noise: &noise)
  #expect(full.regularization > 0)
  #expect(forward.total == full.total)
  #expect(forward.outputs == full.outputs.converted(to: Double.self))
}

/// The recorded training losses are the full pass's numbers on the batch just trained on.
@Test func recordedLossesAreTheBatchLossAfterTheStep() throws {
  let task = try pd(batch: 8)
  var config = ModelConfiguration(task: task.timing, nRec: 10)
  config.regularization.L2_firing_rate = 0.01
  var rng = NumpyRandom(seed: 2)
  var model = try Basic<Float>(configuration: config, using: &rng)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 7), noise = NumpyRandom(seed: 8)
  var options = TrainingOptions()
  options.trainingIters = 8 * 3
  options.lossEpoch = 3
  options.prefetchBatches = false
  options.parallelWeightGradients = false
  let before = model
  let r = try model.train(&source, options: options, trials: &trials, noise: &noise)
  #expect(r.losses.count == 1)
  // Replay by hand: probe batch, then three steps; the loss is recorded on the third batch.
  var replay = before
  var source2 = TrainingSource.task(task)
  options.trainingIters = 8 * 3
  options.lossEpoch = 1_000
  var trials2 = NumpyRandom(seed: 7), noise2 = NumpyRandom(seed: 8)
  _ = try replay.train(&source2, options: options, trials: &trials2, noise: &noise2)
  var g = BatchGenerator(task: task)
  var t3 = NumpyRandom(seed: 7)
  _ = try g.next(using: &t3)
  var third = try g.next(using: &t3)
  for _ in 0..<2 { third = try g.next(using: &t3) }
  let expected = try replay.lossAndGradients(of: third, workspace: replay.makeTrainingWorkspace(options: options), noise: &noise2)
    .total
  #expect(r.losses[0] == expected)
}
