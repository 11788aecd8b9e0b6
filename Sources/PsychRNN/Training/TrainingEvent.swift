// What training reports while it runs. The library never prints: the caller decides how (or
// whether) to show these — a live line at a terminal, one line per loss_epoch in a log.

/// A snapshot of training progress.
public struct TrainingProgress: Sendable {
  /// Batches done in this `train` call (PsychRNN's `epoch`).
  public var epoch: Int
  /// Trials done in this call (epoch · batch size), and the call's target (`training_iters`).
  public var trials: Int
  public var totalTrials: Int
  /// The latest recorded loss (loss + regularization), if any.
  public var loss: Double?
  /// Accuracy on the batch the loss was measured on, when the task defines one.
  public var accuracy: Double?
  /// Seconds since the training loop started.
  public var elapsed: Double
  /// Trials per second so far.
  public var trialsPerSecond: Double { elapsed > 0 ? Double(trials) / elapsed : 0 }
  /// Estimated seconds left, from the rate so far.
  public var estimatedSecondsLeft: Double? {
    let rate = trialsPerSecond
    return rate > 0 ? Double(max(totalTrials - trials, 0)) / rate : nil
  }
  /// The curriculum stage, when training on one.
  public var stage: Int?
}

/// Events emitted by `train`.
public enum TrainingEvent: Sendable {
  /// The loop is about to start: `steps` optimizer steps of `batchSize` trials.
  case started(steps: Int, batchSize: Int)
  /// A batch was trained on (every batch; `loss` is nil unless recorded on this batch).
  case step(TrainingProgress)
  /// A loss was recorded (every `loss_epoch` batches).
  case loss(TrainingProgress)
  /// A curriculum metric was checked; `advanced` tells whether the stage moved on.
  case curriculumMetric(epoch: Int, value: Double, stage: Int, advanced: Bool)
  /// Weights were written (intermediate or final).
  case weightsSaved(path: String)
  /// The performance measure was evaluated.
  case performance(epoch: Int, value: Double)
  /// The curriculum's metric history was written.
  case metricValuesSaved(path: String)
  /// Training ended.
  case finished(TrainingResult)
}

/// Why training stopped.
public enum StopReason: Sendable, Equatable {
  /// `training_iters` trials were used.
  case completed
  /// The performance measure reached its cutoff.
  case performanceReached
  /// The curriculum's last stage was passed.
  case curriculumFinished
  /// The caller cancelled (e.g. Ctrl-C); the network holds the weights of the last full step.
  case cancelled
}

/// What `train` returns (PsychRNN returns (losses, training_time, initialization_time)).
public struct TrainingResult: Sendable {
  /// Recorded losses (loss + regularization), one per `loss_epoch` batches.
  public var losses: [Double]
  /// Seconds in the training loop.
  public var trainingTime: Double
  /// Seconds of set-up before the loop.
  public var initializationTime: Double
  /// Optimizer steps taken.
  public var steps: Int
  /// Trials trained on.
  public var trials: Int
  public var stopReason: StopReason
}

/// Training failures.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  /// The loss or the weights stopped being finite at batch `epoch`; the network keeps its last finite weights.
  case diverged(epoch: Int, detail: String)
  /// The training data cannot be used with this network.
  case incompatibleData(String)
  /// A user-supplied loss or regularizer (`name`) returned something unusable.
  case customFunction(name: String, problem: String)

  public var description: String {
    switch self {
    case .diverged(let epoch, let detail):
      return
        "training diverged at batch \(epoch): \(detail); the network keeps its weights from the last finite step (try a smaller learning_rate or clip_grads: true)"
    case .incompatibleData(let message): return message
    case .customFunction(let name, let problem): return "\(name) \(problem)"
    }
  }
}
