// Curriculum learning (spec §12): a list of tasks trained in order; every `metric_epoch` batches
// the metric is checked on a fresh batch of the current stage, and passing its threshold moves
// to the next stage. The stage persists across `train` calls.

import Linear

/// A metric: (curriculum, batch, outputs, epoch, losses) → (advance?, value).
public typealias CurriculumMetric =
  @Sendable (
    _ curriculum: Curriculum, _ batch: TrialBatch, _ outputs: Tensor3<Double>,
    _ epoch: Int, _ losses: [Double]
  ) throws -> (advance: Bool, value: Double)

/// An accuracy function for one stage: (targets, outputs, mask) → accuracy.
public typealias AccuracyFunction =
  @Sendable (_ y: Tensor3<Double>, _ outputs: Tensor3<Double>, _ mask: Tensor3<Double>) throws -> Double

/// Stages of tasks with thresholds (PsychRNN `Curriculum`).
public struct Curriculum: Sendable {
  /// The tasks, one per stage.
  public let tasks: [any Task]
  /// Threshold of the metric to pass each stage (default 0.9 each).
  public let thresholds: [Double]
  /// Accuracy function of each stage (default: each task's own).
  public let accuracies: [AccuracyFunction]
  /// Check the metric every this many batches (`metric_epoch`, default 10).
  public let metricEpoch: Int
  /// Where the metric history goes: "<output_file>.npy", a (n, 2) array of [value, stage] rows.
  public let outputFile: String?
  /// The metric (default `defaultMetric`: stage accuracy ≥ stage threshold).
  public let metric: CurriculumMetric

  /// The current stage (0-based).
  public private(set) var stage = 0
  /// Set once the last stage has been passed.
  public private(set) var stopTraining = false
  /// Every metric check so far: (value, stage before any advance).
  public private(set) var metricValues: [(value: Double, stage: Int)] = []

  public init(
    tasks: [any Task], thresholds: [Double]? = nil, accuracies: [AccuracyFunction]? = nil,
    metricEpoch: Int = 10, outputFile: String? = nil, metric: CurriculumMetric? = nil
  ) throws {
    guard !tasks.isEmpty else { throw ConfigurationError.invalid(key: "tasks", message: "must list at least one task") }
    let th = thresholds ?? [Double](repeating: 0.9, count: tasks.count)
    guard th.count == tasks.count else {
      throw ConfigurationError.invalid(key: "thresholds", message: "has \(th.count) values for \(tasks.count) tasks")
    }
    guard th.allSatisfy(\.isFinite) else {
      throw ConfigurationError.invalid(key: "thresholds", message: "must be finite numbers")
    }
    let acc = accuracies ?? tasks.map { task in { @Sendable y, z, m in try task.accuracy(targets: y, outputs: z, mask: m) } }
    guard acc.count == tasks.count else {
      throw ConfigurationError.invalid(key: "accuracies", message: "has \(acc.count) functions for \(tasks.count) tasks")
    }
    guard metricEpoch >= 1 else {
      throw ConfigurationError.invalid(key: "metric_epoch", message: "must be at least 1, got \(metricEpoch)")
    }
    let shapes = Set(tasks.map { "\($0.timing.nIn)/\($0.timing.nOut)" })
    guard shapes.count == 1 else {
      throw ConfigurationError.invalid(key: "tasks", message: "must all have the same N_in and N_out")
    }
    self.tasks = tasks; self.thresholds = th; self.accuracies = acc
    self.metricEpoch = metricEpoch; self.outputFile = outputFile
    self.metric = metric ?? Curriculum.defaultMetric
  }

  /// PsychRNN's `default_metric`: accuracy of the current stage's function ≥ its threshold.
  public static let defaultMetric: CurriculumMetric = { c, batch, outputs, _, _ in
    let acc = try c.accuracies[c.stage](batch.y, outputs, batch.mask)
    return (acc >= c.thresholds[c.stage], acc)
  }

  /// The current stage's task.
  public var currentTask: any Task { tasks[min(stage, tasks.count - 1)] }

  /// A fresh generator for the current stage (its batch counter restarts at 1).
  public func batchGenerator() -> BatchGenerator { BatchGenerator(task: currentTask) }

  /// PsychRNN's `metric_test`: records the metric and advances the stage when it says so.
  /// Returns whether the stage advanced.
  public mutating func metricTest(
    batch: TrialBatch, outputs: Tensor3<Double>, epoch: Int, losses: [Double]
  ) throws -> (advanced: Bool, value: Double) {
    let (advance, value) = try metric(self, batch, outputs, epoch, losses)
    metricValues.append((value, stage))
    guard advance else { return (false, value) }
    stage += 1
    if stage == tasks.count { stopTraining = true }
    return (true, value)
  }

  /// The metric history as PsychRNN saves it: (n, 2) rows of [value, stage].
  public var metricHistory: [[Double]] { metricValues.map { [$0.value, Double($0.stage)] } }
}
