// A model's training record across `train` calls: what `plot loss` draws.

/// Losses recorded while training one model, with the trial count at which each was taken.
public struct TrainingHistory: Sendable, Equatable {
  /// (trials trained so far, loss + regularization).
  public var losses: [(trials: Int, loss: Double)] = []
  /// Trials trained on in total, over every call.
  public var trials = 0
  /// Optimizer steps in total.
  public var steps = 0

  public init() {}

  public static func == (a: TrainingHistory, b: TrainingHistory) -> Bool {
    a.trials == b.trials && a.steps == b.steps && a.losses.elementsEqual(b.losses) { $0 == $1 }
  }
}
