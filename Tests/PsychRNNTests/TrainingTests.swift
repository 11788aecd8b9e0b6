// Training: PsychRNN's counting rules, every train option doing what it says, continuation,
// cancellation, the divergence guard, and networks that actually learn their tasks.

import Foundation
import Testing
import Linear
import NumpyFormat
@testable import PsychRNN

private func pdTask(batch: Int = 16, duration: Double = 400) throws -> PerceptualDiscrimination {
  try PerceptualDiscrimination(dt: 10, tau: 100, duration: duration, nBatch: batch)
}

private func smallNet(_ task: any Task, nRec: Int = 10, seed: UInt32 = 1, dale: Double? = nil) throws -> Basic<Float> {
  var rng = NumpyRandom(seed: seed)
  var options = InitializerOptions()
  options.daleRatio = dale
  return try Basic<Float>(configuration: ModelConfiguration(task: task.timing, nRec: nRec), options: options, using: &rng)
}

private func temporaryDirectory() throws -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psychrnn-tests-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  return dir
}

/// Accuracy of `model` on a fresh batch of `task`.
private func accuracy(_ model: Basic<Float>, _ task: any Task, _ rng: inout NumpyRandom) throws -> Double {
  let batch = try task.makeBatch(number: 1, using: &rng)
  let out = try model.forward(batch.x.converted()).outputs.converted(to: Double.self)
  return try task.accuracy(targets: batch.y, outputs: out, mask: batch.mask)
}

@Test func stepCountIsCeilOfTrialsOverBatchAndLossesEveryLossEpoch() throws {
  let task = try pdTask(batch: 16)
  var model = try smallNet(task)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 16 * 7 + 1  // 113 trials → 8 steps
  options.lossEpoch = 3
  var steps = 0
  let r = try model.train(
    &source, options: options, trials: &trials, noise: &noise,
    onEvent: { event in
      if case .step = event { steps += 1 }
    })
  #expect(r.steps == 8 && steps == 8 && r.trials == 128)
  #expect(r.losses.count == 2)  // after batches 3 and 6
  #expect(r.stopReason == .completed)
  // 1 probe + 8 steps + 2 loss evaluations reuse their batch: the generator moved 9 batches.
  if case .task(let g) = source { #expect(g.nextBatchNumber == 10) } else { Issue.record("source changed kind") }
  options.trainingIters = 0
  #expect(try model.train(&source, options: options, trials: &trials, noise: &noise).steps == 0)
}

@Test func trainContinuesWithItsOptimizerState() throws {
  let task = try pdTask()
  var model = try smallNet(task)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 16 * 5
  _ = try model.train(&source, options: options, trials: &trials, noise: &noise)
  #expect(model.optimizerState?.step == 5)
  _ = try model.train(&source, options: options, trials: &trials, noise: &noise)
  #expect(model.optimizerState?.step == 10)
  #expect(model.history.steps == 10 && model.history.trials == 160)
}

@Test func cancellationStopsBetweenBatchesWithAConsistentNetwork() throws {
  let task = try pdTask()
  var model = try smallNet(task)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 16 * 100
  var polls = 0
  let r = try model.train(
    &source, options: options, trials: &trials, noise: &noise,
    isCancelled: {
      polls += 1
      return polls > 4
    })
  #expect(r.stopReason == .cancelled && r.steps == 4)
  #expect(model.optimizerState?.step == 4 && model.variables.isFinite)
}

@Test func fixedWeightsAndTrainFlagsFreezeWhatTheySay() throws {
  let task = try pdTask()
  var model = try smallNet(task)
  model.configuration.trainable.b_out = false
  let before = model.variables
  var frozen = Matrix<Double>(rows: 10, cols: 10)
  frozen[2, 3] = 1; frozen[0, 0] = 1
  var options = TrainingOptions()
  options.trainingIters = 16 * 3
  options.fixedWeights = FixedWeights([.W_rec: frozen])
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  _ = try model.train(&source, options: options, trials: &trials, noise: &noise)
  #expect(model.variables.b_out == before.b_out)
  #expect(model.variables.W_rec[2, 3] == before.W_rec[2, 3] && model.variables.W_rec[0, 0] == before.W_rec[0, 0])
  #expect(model.variables.W_rec[2, 4] != before.W_rec[2, 4])
  #expect(model.optimizerState?.firstMoment[.b_out] == nil)
  // A mask of the wrong shape is refused.
  options.fixedWeights = FixedWeights([.W_in: frozen])
  #expect(throws: ConfigurationError.self) { try model.train(&source, options: options, trials: &trials, noise: &noise) }
}

@Test func clippingBoundsEachTensorsGradientNorm() {
  var g = Matrix<Float>([[3, 4]])
  clipByNorm(&g, maxNorm: 1)
  #expect(abs(g[0, 0] - 0.6) < 1e-6 && abs(g[0, 1] - 0.8) < 1e-6)
  var small = Matrix<Float>([[0.3, 0.4]])
  clipByNorm(&small, maxNorm: 1)
  #expect(small == Matrix<Float>([[0.3, 0.4]]))
}

@Test func performanceCutoffStopsTrainingAndNeedsItsPair() throws {
  let task = try pdTask()
  var model = try smallNet(task)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 16 * 50
  options.performanceMeasure = { _, _, epoch, _ in Double(epoch) }
  options.performanceCutoff = 3
  let r = try model.train(&source, options: options, trials: &trials, noise: &noise)
  #expect(r.steps == 3 && r.stopReason == .performanceReached)
  options.performanceMeasure = nil
  #expect(
    throws: ConfigurationError.invalid(
      key: "performance_measure",
      message: "is required when performance_cutoff is given: training would not be cut off")
  ) {
    try model.train(&source, options: options, trials: &trials, noise: &noise)
  }
}

@Test func divergenceStopsWithAClearErrorAndKeepsFiniteWeights() throws {
  let task = try pdTask()
  var model = try smallNet(task)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 16 * 50
  options.optimizer = .sgd
  options.clipGrads = false
  options.learningRate = 1e30
  do {
    _ = try model.train(&source, options: options, trials: &trials, noise: &noise)
    Issue.record("training with learning rate 1e30 did not diverge")
  } catch let TrainingError.diverged(epoch, detail) {
    #expect(epoch >= 1 && !detail.isEmpty)
  }
  #expect(model.variables.isFinite)
}

@Test func weightFilesAreWrittenDuringAndAfterTraining() throws {
  let dir = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let task = try pdTask()
  var model = try smallNet(task, dale: 0.8)
  var source = TrainingSource.task(task)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 16 * 4
  options.saveTrainingWeightsEpoch = 2
  options.trainingWeightsPath = dir + "/run_"
  options.saveWeightsPath = dir + "/final"
  var saved: [String] = []
  _ = try model.train(
    &source, options: options, trials: &trials, noise: &noise,
    onEvent: { event in
      if case .weightsSaved(let p) = event { saved.append(p) }
    })
  #expect(saved == [dir + "/run_2.npz", dir + "/run_4.npz", dir + "/final.npz"])
  let reloaded = try Basic<Float>(configuration: model.configuration, loadWeightsPath: dir + "/final.npz")
  #expect(reloaded.effectiveWeights.W_rec == model.effectiveWeights.W_rec)
  #expect(reloaded.constraints.daleRatio == 0.8)
  #expect(reloaded.optimizerState?.step == 4)
  #expect(reloaded.seed == 1)
}

@Test func curriculumAdvancesStagesAndWritesItsHistory() throws {
  let dir = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let easy = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: 16, coherence: 0.7)
  let hard = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: 16, coherence: 0.1)
  let curriculum = try Curriculum(tasks: [easy, hard], thresholds: [-1, -1], metricEpoch: 2, outputFile: dir + "/metrics")
  var model = try smallNet(easy)
  var source = TrainingSource.curriculum(curriculum)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  var options = TrainingOptions()
  options.trainingIters = 16 * 100
  let r = try model.train(&source, options: options, trials: &trials, noise: &noise)
  // Thresholds of −1 pass at every check: stage 1 after batch 2, done after batch 4.
  #expect(r.stopReason == .curriculumFinished && r.steps == 4)
  guard case .curriculum(let c) = source else { Issue.record("source changed kind"); return }
  #expect(c.stopTraining && c.stage == 2 && c.metricValues.map(\.stage) == [0, 1])
  let history = try readNPY(path: dir + "/metrics.npy")
  #expect(history.shape == [2, 2])
  #expect(try history.asDoubles()[1] == 0 && history.asDoubles()[3] == 1)
  #expect(throws: TrainingError.self) { try model.train(&source, options: options, trials: &trials, noise: &noise) }
}

@Test func incompatibleTaskIsRefused() throws {
  let mtc = try MatchToCategory(dt: 10, tau: 100, duration: 400, nBatch: 4)
  var model = try smallNet(try pdTask())
  var source = TrainingSource.task(mtc)
  var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
  #expect(throws: TrainingError.self) { try model.train(&source, trials: &trials, noise: &noise) }
}

// MARK: - It learns

// "Reaches 0.9 on a fresh batch within 20,000 trials", with PsychRNN's own mechanism for it:
// a performance measure (accuracy on a fresh batch after every step) and a cutoff of 0.9.
// Dale networks sit on a loss plateau (≈ 0.08) before they learn: across seeds 1–8 the jump came
// between ≈ 6,000 and ≈ 30,000 trials (`psychrnn-bench --curve --configs pd50dale --seed N`);
// docs/performance.md records the spread. The seeds here are fixed.
@Test(arguments: [(nil, 7), (0.8, 6)] as [(Double?, UInt32)])
func perceptualDiscriminationLearnsWithin20000Trials(dale: Double?, seed: UInt32) throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 128)
  var streams = RandomStreams(seed: seed)
  var options = InitializerOptions()
  options.daleRatio = dale
  var model = try Basic<Float>(
    configuration: ModelConfiguration(task: task.timing, nRec: 50), options: options, using: &streams.initialization)
  var source = TrainingSource.task(task)
  var train = TrainingOptions()
  train.trainingIters = 20_000
  train.performanceMeasure = { batch, outputs, _, _ in task.accuracy(targets: batch.y, outputs: outputs, mask: batch.mask) }
  train.performanceCutoff = 0.9
  let result = try model.train(&source, options: train, trials: &streams.trials, noise: &streams.noise)
  #expect(
    result.stopReason == .performanceReached, "0.9 not reached within 20,000 trials (dale_ratio \(String(describing: dale)))")
  #expect(result.trials <= 20_000)
  // And the network it left behind really does the task on new trials.
  let acc = try accuracy(model, task, &streams.trials)
  #expect(acc >= 0.8, "accuracy \(acc) on a new batch after stopping at \(result.trials) trials")
}

@Test func delayedDiscriminationImprovesClearly() throws {
  let task = try DelayedDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 128)
  var streams = RandomStreams(seed: 11)
  var model = try Basic<Float>(configuration: ModelConfiguration(task: task.timing, nRec: 50), using: &streams.initialization)
  var before = 0.0
  for _ in 0..<4 { before += try accuracy(model, task, &streams.trials) / 4 }
  var source = TrainingSource.task(task)
  var train = TrainingOptions()
  train.trainingIters = 40_000
  _ = try model.train(&source, options: train, trials: &streams.trials, noise: &streams.noise)
  var after = 0.0
  for _ in 0..<4 { after += try accuracy(model, task, &streams.trials) / 4 }
  #expect(after >= before + 0.2, "accuracy \(before) → \(after)")
}

/// How a prefetch-equality run stops.
enum PrefetchScenario: String, CaseIterable, Sendable {
  case epochs, performanceCutoff, cancelled, curriculum
}

@Test(arguments: PrefetchScenario.allCases)
func prefetchingBatchesChangesNothingButSpeed(scenario: PrefetchScenario) throws {
  let task = try pdTask(batch: 16)
  func run(prefetch: Bool) throws -> (BasicVariables<Float>, Double, Int, Int) {
    var model = try smallNet(task)
    var source = TrainingSource.task(task)
    if scenario == .curriculum {
      let hard = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: 16, coherence: 0.1)
      source = .curriculum(try Curriculum(tasks: [task, hard, task], thresholds: [-1, -1, 2], metricEpoch: 3))
    }
    var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
    var options = TrainingOptions()
    options.trainingIters = 16 * 9 + 3
    options.prefetchBatches = prefetch
    if scenario == .performanceCutoff {  // a check batch after every step; stops after step 5
      options.performanceMeasure = { batch, _, epoch, _ in Double(epoch) + batch.x.storage[0] * 0 }
      options.performanceCutoff = 5
    }
    var polls = 0
    let result = try model.train(
      &source, options: options, trials: &trials, noise: &noise,
      isCancelled: {
        polls += 1
        return scenario == .cancelled && polls > 6
      })
    let nextNumber: Int
    switch source {
    case .task(let g): nextNumber = g.nextBatchNumber
    case .curriculum(let c): nextNumber = c.stage
    }
    return (model.variables, trials.uniform(), nextNumber, result.steps)
  }
  let (a, ra, na, sa) = try run(prefetch: true)
  let (b, rb, nb, sb) = try run(prefetch: false)
  #expect(a == b, "weights differ (\(scenario))")
  #expect(ra == rb, "the trial stream ends elsewhere (\(scenario))")
  #expect(na == nb && sa == sb)
  switch scenario {
  case .epochs: #expect(sa == 10 && na == 12)  // probe + 10 batches drawn
  case .performanceCutoff: #expect(sa == 5 && na == 12)  // probe + 5 training + 5 check batches
  case .cancelled: #expect(sa == 6 && na == 8)
  case .curriculum: #expect(sa == 10 && na == 2)  // stages 0 → 1 → 2, then the threshold holds
  }
}
