// Training any `RecurrentModel` — Basic or LSTM — (PsychRNN `train`, spec §7.1): ONE loop, with
// PsychRNN's counting. What it needs from a model is listed in RecurrentModel.swift.
//
//   batch size = trials in one probe batch (drawn and discarded, as PsychRNN does)
//   while (epoch − 1)·batch size < training_iters (and the performance cutoff is not reached):
//     one optimizer step on a fresh batch
//     every loss_epoch batches: record loss + regularization on that batch, after the step
//       (a forward pass only)
//     every metric_epoch batches (curriculum): check the metric on a fresh batch; maybe advance
//     every save_training_weights_epoch batches: save "<training_weights_path><epoch>.npz"
//     with a performance measure: evaluate it on a fresh batch
//
// Unlike PsychRNN, `train` may be called again and continues (optimizer state kept), it can be
// cancelled between batches, it reports progress as events, and it stops with an error, keeping
// the last finite weights, when the loss or the weights stop being finite.

import Foundation
import Linear

/// Where training batches come from.
public enum TrainingSource: Sendable {
  /// One task's batches.
  case task(BatchGenerator)
  /// A curriculum; its stage advances inside `train` and persists in the caller's value.
  case curriculum(Curriculum)

  /// Batches of `task`.
  public static func task(_ task: any Task) -> TrainingSource { .task(BatchGenerator(task: task)) }
}

extension RecurrentModel {
  /// Trains on `source` with `options`; draws trials from `trials` and recurrent noise from `noise`.
  /// `isCancelled` is polled before every batch; `onEvent` receives progress.
  @_specialize(exported:true,where Self == Basic<Float>)
  @_specialize(exported:true,where Self == LSTM<Float>)
  public mutating func train(
    _ source: inout TrainingSource, options: TrainingOptions = TrainingOptions(),
    trials: inout NumpyRandom, noise: inout NumpyRandom,
    isCancelled: () -> Bool = { false }, onEvent: (TrainingEvent) -> Void = { _ in }
  ) throws -> TrainingResult {
    let clock = ContinuousClock(), t0 = clock.now
    try options.validate()
    let frozen = try frozenComplements(options.fixedWeights)
    if optimizerState?.optimizer != options.optimizer { optimizerState = OptimizerState(optimizer: options.optimizer) }
    var curriculum: Curriculum? = nil
    var generator: BatchGenerator
    switch source {
    case .task(let g): generator = g
    case .curriculum(let c):
      guard !c.stopTraining else {
        throw TrainingError.incompatibleData(
          "the curriculum has already passed its last stage; train on its last task or make a new Curriculum")
      }
      curriculum = c
      generator = c.batchGenerator()
    }
    // A second thread (next batch, weight gradients) only where it can run beside this one.
    var threads = options
    if CoreCount.available() < 2 { threads.prefetchBatches = false; threads.parallelWeightGradients = false }
    try checkTrainingFits(task: generator.task.timing)
    let workspace = makeTrainingWorkspace(options: threads)
    let probe = try generator.next(using: &trials)
    try checkCompatible(probe, task: generator.task)
    let batchSize = probe.trialCount
    let t1 = clock.now
    onEvent(.started(steps: batchSize > 0 ? (options.trainingIters + batchSize - 1) / batchSize : 0, batchSize: batchSize))

    var losses: [Double] = []
    var performance = options.performanceCutoff.map { $0 - 1 }
    var epoch = 1, cancelled = false
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
    func progress(loss: Double?, accuracy: Double?) -> TrainingProgress {
      TrainingProgress(
        epoch: epoch, trials: epoch * batchSize, totalTrials: options.trainingIters, loss: loss,
        accuracy: accuracy, elapsed: seconds(clock.now - t1), stage: curriculum?.stage)
    }

    // Every batch, for training or for a check, is the generator's next: with prefetching it is
    // drawn on another core one ahead, and a draw ahead that is not taken is undone at the end.
    var prefetcher =
      threads.prefetchBatches && batchSize > 0 && options.trainingIters > 0
      ? BatchPrefetcher(generator: generator, rng: trials) : nil
    func draw(last: Bool = false) throws -> TrialBatch {
      if let p = prefetcher { return try p.next(drawingAhead: !last) }
      return try generator.next(using: &trials)
    }
    defer {  // also when a step throws: hand the generator and the trial stream back
      if let p = prefetcher { (generator, trials) = p.finish() }
    }

    while batchSize > 0 && (epoch - 1) * batchSize < options.trainingIters {
      if let cutoff = options.performanceCutoff, let p = performance, p >= cutoff { break }
      if isCancelled() { cancelled = true; break }
      // The last batch of the run, when nothing else draws after it: no draw ahead to undo.
      let last = epoch * batchSize >= options.trainingIters && curriculum == nil && options.performanceMeasure == nil
      let batch = try draw(last: last)
      try step(on: batch, epoch: epoch, frozen: frozen, options: options, workspace: workspace, noise: &noise)

      if epoch % options.lossEpoch == 0 {
        let (value, outputs) = try loss(of: batch, workspace: workspace, noise: &noise)
        losses.append(value)
        history.losses.append((history.trials, value))
        let accuracy = try generator.task.accuracy(targets: batch.y, outputs: outputs, mask: batch.mask)
        onEvent(.loss(progress(loss: value, accuracy: accuracy)))
      }
      onEvent(.step(progress(loss: nil, accuracy: nil)))
      if var c = curriculum, epoch % c.metricEpoch == 0 {
        let check = try draw()
        let outputs = try self.outputs(of: check.x, workspace: workspace, noise: &noise)
        let stageBefore = c.stage
        let (advanced, value) = try c.metricTest(batch: check, outputs: outputs, epoch: epoch, losses: losses)
        curriculum = c
        onEvent(.curriculumMetric(epoch: epoch, value: value, stage: stageBefore, advanced: advanced))
        if advanced {
          if c.stopTraining { epoch += 1; break }
          // The next stage's task: undo the draw ahead from the old one, and prefetch anew.
          if let p = prefetcher { (_, trials) = p.finish() }
          generator = c.batchGenerator()
          if prefetcher != nil { prefetcher = BatchPrefetcher(generator: generator, rng: trials) }
        }
      }
      if epoch % options.saveTrainingWeightsEpoch == 0, let prefix = options.trainingWeightsPath {
        let path = try save(to: prefix + "\(epoch)")
        onEvent(.weightsSaved(path: path))
      }
      if let measure = options.performanceMeasure {
        let check = try draw()
        let outputs = try self.outputs(of: check.x, workspace: workspace, noise: &noise)
        let value = try measure(check, outputs, epoch, losses)
        performance = value
        onEvent(.performance(epoch: epoch, value: value))
      }
      epoch += 1
    }

    if let p = prefetcher { (generator, trials) = p.finish() }
    let t2 = clock.now
    let stepsTaken = epoch - 1
    var reason = StopReason.completed
    if cancelled {
      reason = .cancelled
    } else if curriculum?.stopTraining == true {
      reason = .curriculumFinished
    } else if let cutoff = options.performanceCutoff, let p = performance, p >= cutoff {
      reason = .performanceReached
    }
    if let c = curriculum {
      source = .curriculum(c)
      if let file = c.outputFile {
        onEvent(.metricValuesSaved(path: try Checkpoint.saveMetricHistory(c.metricHistory, to: file)))
      }
    } else {
      source = .task(generator)
    }
    if let path = options.saveWeightsPath { onEvent(.weightsSaved(path: try save(to: path))) }
    let result = TrainingResult(
      losses: losses, trainingTime: seconds(t2 - t1), initializationTime: seconds(t1 - t0),
      steps: stepsTaken, trials: stepsTaken * batchSize, stopReason: reason)
    onEvent(.finished(result))
    return result
  }

  // MARK: - One step

  /// One optimizer step on `batch`: gradients, fixed-weight masks, per-tensor clipping, update.
  /// Throws `TrainingError.diverged` — with the variables unchanged — if anything is not finite.
  mutating func step(
    on batch: TrialBatch, epoch: Int, frozen: [VariableName: Matrix<Scalar>],
    options: TrainingOptions, workspace: TrainingWorkspace, noise: inout NumpyRandom
  ) throws {
    let lg = try lossAndGradients(of: batch, workspace: workspace, noise: &noise)
    guard lg.total.isFinite else { throw TrainingError.diverged(epoch: epoch, detail: "the loss is \(lg.total)") }
    var grads = lg.gradients
    let names = trainableNames
    for name in names {
      if let keep = frozen[name] { grads[name] = grads[name] .* keep }
      if options.clipGrads { clipByNorm(&grads[name], maxNorm: 1) }
      guard grads[name].isFinite else {
        throw TrainingError.diverged(epoch: epoch, detail: "the gradient of \(name) is not finite")
      }
    }
    var updated = variables, state = optimizerState!
    state.apply(grads, to: &updated, names: names, learningRate: options.learningRate)
    if let bad = names.first(where: { !updated[$0].isFinite }) {
      throw TrainingError.diverged(epoch: epoch, detail: "\(bad) became non-finite after the update")
    }
    variables = updated
    optimizerState = state
    history.trials += batch.trialCount
    history.steps += 1
  }

  /// 1 − F for each `fixed_weights` mask F, checked against the variable's shape. A name the
  /// model does not have is refused (PsychRNN ignores it silently).
  func frozenComplements(_ fixed: FixedWeights) throws -> [VariableName: Matrix<Scalar>] {
    var out: [VariableName: Matrix<Scalar>] = [:]
    for (name, f) in fixed.masks {
      guard variables.contains(name) else {
        throw ConfigurationError.invalid(
          key: "fixed_weights[\(name)]",
          message: "names no variable of this model (it has \(variables.names.map(\.rawValue).joined(separator: ", ")))")
      }
      let shape = variables[name].shape
      guard f.rows == shape.rows && f.cols == shape.cols else {
        throw ConfigurationError.shapeMismatch(
          key: "fixed_weights[\(name)]", expected: [shape.rows, shape.cols], got: [f.rows, f.cols])
      }
      out[name] = f.map { 1 - ($0 != 0 ? 1 : 0) }.converted()
    }
    return out
  }

}
