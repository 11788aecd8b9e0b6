// Typed replacement for PsychRNN's `train_params` dictionary (spec §7.1), with its defaults.

import Linear

/// A performance measure: (batch, network outputs, epoch, losses so far) → a number, compared
/// with `performanceCutoff` (training stops when it is ≥ the cutoff).
public typealias PerformanceMeasure =
  @Sendable (_ batch: TrialBatch, _ outputs: Tensor3<Double>, _ epoch: Int, _ losses: [Double]) throws -> Double

/// Per-variable 0/1 masks of entries that must not change (PsychRNN `fixed_weights`; 1 = frozen),
/// keyed by variable name (`W_rec`, and for an LSTM also `W_f`, `init_hidden` …). A name the model
/// does not have is refused by `train` (PsychRNN ignores it silently).
public struct FixedWeights: Sendable {
  public var masks: [VariableName: Matrix<Double>] = [:]
  public init(_ masks: [VariableName: Matrix<Double>] = [:]) { self.masks = masks }
}

/// Everything `train` can be told.
public struct TrainingOptions: Sendable {
  /// Adam's (or SGD's) learning rate (`learning_rate`).
  public var learningRate = 0.001
  /// Number of TRIALS to train on (`training_iters`); steps = ceil(training_iters / batch size).
  public var trainingIters = 50_000
  /// Record the loss every this many batches (`loss_epoch`).
  public var lossEpoch = 10
  /// Whether progress events ask to be shown (`verbosity`); the library itself never prints.
  public var verbosity = true
  /// Save the final weights here (`save_weights_path`).
  public var saveWeightsPath: String? = nil
  /// Save intermediate weights every this many batches (`save_training_weights_epoch`)…
  public var saveTrainingWeightsEpoch = 100
  /// …to "<prefix><epoch>.npz" (`training_weights_path`, a prefix, not a folder).
  public var trainingWeightsPath: String? = nil
  /// The optimizer (`optimizer`); its state persists across `train` calls.
  public var optimizer: Optimizer = .adam()
  /// Clip each gradient tensor to norm 1 (`clip_grads`).
  public var clipGrads = true
  /// Entries frozen during training (`fixed_weights`).
  public var fixedWeights = FixedWeights()
  /// `performance_measure` and `performance_cutoff`; both or neither.
  public var performanceMeasure: PerformanceMeasure? = nil
  public var performanceCutoff: Double? = nil
  /// Draw the next batch on a second thread while a step trains: the same batches in the same
  /// order, for training and for checks alike, and a draw ahead that is not used is undone.
  /// Not a PsychRNN key.
  public var prefetchBatches = true
  /// Run each step's weight-gradient products on a second thread, behind the backward recursion
  /// (bit-identical results; Basic and LSTM). Not a PsychRNN key. Both second-thread options
  /// apply only when the process may use two cores or more (CPU affinity, cgroup quota).
  public var parallelWeightGradients = true

  public init() {}

  /// The most trials one `train` may ask for (10^15: the batch counts stay far from overflowing).
  public static let maxTrainingIters = 1_000_000_000_000_000

  /// Checks values and pairings; errors name the PsychRNN key.
  public func validate() throws {
    func fail(_ key: String, _ message: String) -> ConfigurationError { .invalid(key: key, message: message) }
    guard learningRate.isFinite && learningRate > 0 else {
      throw fail("learning_rate", "must be a positive number, got \(learningRate)")
    }
    guard trainingIters >= 0 else { throw fail("training_iters", "must be non-negative, got \(trainingIters)") }
    guard trainingIters <= TrainingOptions.maxTrainingIters else {
      throw fail(
        "training_iters",
        "is too large: \(trainingIters) trials, more than the limit of \(TrainingOptions.maxTrainingIters) (10^15)")
    }
    guard lossEpoch >= 1 else { throw fail("loss_epoch", "must be at least 1, got \(lossEpoch)") }
    guard saveTrainingWeightsEpoch >= 1 else {
      throw fail("save_training_weights_epoch", "must be at least 1, got \(saveTrainingWeightsEpoch)")
    }
    if (performanceMeasure == nil) != (performanceCutoff == nil) {
      let missing = performanceMeasure == nil ? "performance_measure" : "performance_cutoff"
      throw fail(
        missing,
        "is required when \(missing == "performance_measure" ? "performance_cutoff" : "performance_measure") is given: training would not be cut off"
      )
    }
    if let c = performanceCutoff, !c.isFinite { throw fail("performance_cutoff", "must be a finite number, got \(c)") }
    switch optimizer {
    case .adam(let b1, let b2, let e):
      guard (0..<1).contains(b1), (0..<1).contains(b2), e > 0 else {
        throw fail("optimizer", "Adam needs 0 ≤ beta1, beta2 < 1 and epsilon > 0")
      }
    case .momentum(let m):
      guard m.isFinite && m >= 0 else { throw fail("optimizer", "momentum must be ≥ 0, got \(m)") }
    case .sgd: break
    }
  }
}
