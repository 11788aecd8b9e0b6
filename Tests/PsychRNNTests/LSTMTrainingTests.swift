// The LSTM trains with the same loop as Basic: every option that applies does what it says, options
// an LSTM cannot honour are refused by key, and a small LSTM learns PerceptualDiscrimination.

import Foundation
import Testing
import Linear
import NumpyFormat
@testable import PsychRNN

private func lstmTask(batch: Int = 8, duration: Double = 300) throws -> PerceptualDiscrimination {
  try PerceptualDiscrimination(dt: 10, tau: 100, duration: duration, nBatch: batch)
}

private func smallLSTM(_ task: any Task, nRec: Int = 8, seed: UInt32 = 1) throws -> LSTM<Float> {
  var rng = NumpyRandom(seed: seed)
  return try LSTM<Float>(configuration: ModelConfiguration(task: task.timing, nRec: nRec), using: &rng)
}

private func scratchFolder() throws -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lstm-train-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  return dir
}

@Test func lstmTrainsWithPsychRNNsCountingAndContinues() throws {
  let task = try lstmTask()
  var model = try smallLSTM(task)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 8 * 5 + 1  // 41 trials → 6 steps
  options.lossEpoch = 2
  let r = try model.train(&source, options: options, trials: &trials, noise: &noise)
  #expect(r.steps == 6 && r.losses.count == 3 && r.stopReason == .completed)
  #expect(model.optimizerState?.step == 6)
  _ = try model.train(&source, options: options, trials: &trials, noise: &noise)
  #expect(model.optimizerState?.step == 12 && model.history.steps == 12 && model.history.trials == 96)
  // W_in and W_rec have zero gradients (no L1/L2 on them): Adam leaves them exactly as they were.
  let fresh = try smallLSTM(task)
  #expect(model.variables.base.W_in == fresh.variables.base.W_in && model.variables.base.W_rec == fresh.variables.base.W_rec)
  #expect(model.variables.W_f != fresh.variables.W_f && model.variables.init_cell != fresh.variables.init_cell)
  #expect(
    model.variables.base.init_state == fresh.variables.base.init_state && model.variables.base.b_rec == fresh.variables.base.b_rec
  )
}

@Test func lstmFixedWeightsFlagsAndClippingApply() throws {
  let task = try lstmTask()
  var model = try smallLSTM(task)
  model.configuration.trainable.b_out = false
  let before = model.variables
  var frozenGate = Matrix<Double>(rows: 10, cols: 8)
  frozenGate[0, 0] = 1; frozenGate[9, 7] = 1
  var options = TrainingOptions()
  options.trainingIters = 8 * 3
  options.fixedWeights = FixedWeights([.W_f: frozenGate, .init_hidden: Matrix(rows: 8, cols: 8, repeating: 1)])
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  _ = try model.train(&source, options: options, trials: &trials, noise: &noise)
  #expect(model.variables.W_f[0, 0] == before.W_f[0, 0] && model.variables.W_f[9, 7] == before.W_f[9, 7])
  #expect(model.variables.W_f[1, 0] != before.W_f[1, 0])
  #expect(model.variables.init_hidden == before.init_hidden)
  #expect(model.variables.base.b_out == before.base.b_out && model.optimizerState?.firstMoment[.b_out] == nil)
  // A mask of the wrong shape, or for a variable the model lacks, is refused by key.
  options.fixedWeights = FixedWeights([.W_i: Matrix(rows: 8, cols: 8)])
  #expect(throws: ConfigurationError.self) { try model.train(&source, options: options, trials: &trials, noise: &noise) }
  var basic = try Basic<Float>(configuration: ModelConfiguration(task: task.timing, nRec: 8), using: &trials)
  options.fixedWeights = FixedWeights([.W_f: frozenGate])
  do {
    _ = try basic.train(&source, options: options, trials: &trials, noise: &noise)
    Issue.record("a fixed_weights key for W_f was accepted by a Basic model")
  } catch let error as ConfigurationError {
    #expect(error.key == "fixed_weights[W_f]")
  }
}

@Test func lstmCurriculumPerformanceAndSavesWork() throws {
  let dir = try scratchFolder()
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let easy = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 300, nBatch: 8, coherence: 0.7)
  let hard = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 300, nBatch: 8, coherence: 0.1)
  var model = try smallLSTM(easy)
  var source = TrainingSource.curriculum(try Curriculum(tasks: [easy, hard], thresholds: [-1, -1], metricEpoch: 2))
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 8 * 100
  options.saveTrainingWeightsEpoch = 1
  options.trainingWeightsPath = dir + "/step_"
  options.saveWeightsPath = dir + "/final"
  var saved: [String] = []
  let r = try model.train(
    &source, options: options, trials: &trials, noise: &noise,
    onEvent: { event in
      if case .weightsSaved(let p) = event { saved.append(p) }
    })
  #expect(r.stopReason == .curriculumFinished && r.steps == 4)
  #expect(saved == [dir + "/step_1.npz", dir + "/step_2.npz", dir + "/step_3.npz", dir + "/final.npz"])
  let reloaded = try LSTM<Float>(configuration: model.configuration, loadWeightsPath: dir + "/final.npz")
  #expect(reloaded.variables == model.variables && reloaded.optimizerState?.step == 4)

  var plain = TrainingSource.task(easy)
  options = TrainingOptions()
  options.trainingIters = 8 * 50
  options.performanceMeasure = { _, _, epoch, _ in Double(epoch) }
  options.performanceCutoff = 3
  #expect(try model.train(&plain, options: options, trials: &trials, noise: &noise).stopReason == .performanceReached)
}

@Test func lstmCancellationAndDivergenceGuard() throws {
  let task = try lstmTask()
  var model = try smallLSTM(task)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 8 * 100
  var polls = 0
  let r = try model.train(
    &source, options: options, trials: &trials, noise: &noise,
    isCancelled: {
      polls += 1
      return polls > 3
    })
  #expect(r.stopReason == .cancelled && r.steps == 3)
  options.optimizer = .sgd
  options.clipGrads = false
  options.learningRate = 1e38
  #expect(throws: TrainingError.self) { try model.train(&source, options: options, trials: &trials, noise: &noise) }
  #expect(model.variables.isFinite)
}

@Test func lstmRefusesBatchesOfAnotherSize() throws {
  let model = try smallLSTM(try lstmTask(batch: 8))
  var rng = NumpyRandom(seed: 4)
  let other = try lstmTask(batch: 5).makeBatch(number: 1, using: &rng)
  do {
    _ = try model.forward(other.x.converted())
    Issue.record("a batch of 5 trials ran on an LSTM with N_batch 8")
  } catch let error as ConfigurationError {
    #expect(error.key == "N_batch")
  }
  var copy = model
  var source = TrainingSource.task(try lstmTask(batch: 5))
  var noise = NumpyRandom(seed: 1)
  #expect(throws: TrainingError.self) { try copy.train(&source, trials: &rng, noise: &noise) }
  // The configuration is a var: changing sizes or noise afterwards is caught, not run.
  copy.configuration.nBatch = 5
  #expect(throws: ConfigurationError.shapeMismatch(key: "init_hidden", expected: [5, 8], got: [8, 8])) {
    try copy.forward(other.x.converted())
  }
  copy = model
  copy.configuration.recNoise = 0.05
  var ok = TrainingSource.task(try lstmTask(batch: 8))
  #expect(throws: ConfigurationError.self) { try copy.train(&ok, trials: &rng, noise: &noise) }
}

@Test func lstmRefusesWhatItCannotHonourByKey() throws {
  let task = try lstmTask()
  func refusal(_ config: ModelConfiguration, _ options: InitializerOptions = InitializerOptions()) -> String? {
    var rng = NumpyRandom(seed: 1)
    do { _ = try LSTM<Float>(configuration: config, options: options, using: &rng); return nil } catch let e as ConfigurationError
    { return e.key } catch { return "\(error)" }
  }
  let base = ModelConfiguration(task: task.timing, nRec: 6)
  var c = base
  c.recNoise = 0.1
  #expect(refusal(c) == "rec_noise")
  c = base
  c.transferFunction = .tanh
  #expect(refusal(c) == "transfer_function")
  c.regularization.L2_firing_rate = 0.01  // where PsychRNN does use it: accepted
  #expect(refusal(c) == nil)
  var o = InitializerOptions()
  o.daleRatio = 0.8
  #expect(refusal(base, o) == "dale_ratio")
  o = InitializerOptions()
  o.recConnectivity = Matrix(rows: 6, cols: 6) { i, j in i == j ? 0 : 1 }
  #expect(refusal(base, o) == "rec_connectivity")
  o = InitializerOptions()
  o.autapses = false
  #expect(refusal(base, o) == "autapses")
  o = InitializerOptions()
  o.outputConnectivity = Matrix(rows: 2, cols: 6, repeating: 1)  // all ones: nothing to ignore
  #expect(refusal(base, o) == nil)
}

// MARK: - It learns

@Test func lstmLearnsPerceptualDiscrimination() throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 500, nBatch: 32)
  var streams = RandomStreams(seed: 1)  // seeds 1–8 reach 0.9 within 90–281 batches
  var model = try LSTM<Float>(configuration: ModelConfiguration(task: task.timing, nRec: 20), using: &streams.initialization)
  var source = TrainingSource.task(task)
  var options = TrainingOptions()
  options.learningRate = 0.01
  options.trainingIters = 32 * 400
  options.performanceMeasure = { batch, outputs, _, _ in task.accuracy(targets: batch.y, outputs: outputs, mask: batch.mask) }
  options.performanceCutoff = 0.9
  let r = try model.train(&source, options: options, trials: &streams.trials, noise: &streams.noise)
  #expect(r.stopReason == .performanceReached, "0.9 not reached in \(r.trials) trials")
}
