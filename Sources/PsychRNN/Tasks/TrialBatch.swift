// Batches of trials, built from a task's two per-trial pieces (parameters, then arrays) exactly as
// PsychRNN's `Task.batch_generator` builds them, and the persistent batch counter PsychRNN keeps
// in `_batch_generator` (what `get_trial_batch()` draws from).

import Linear

/// One batch of trials: what PsychRNN's generator yields as `(x, y, mask, params)`.
public struct TrialBatch: Sendable {
  /// Inputs, (B, S, N_in).
  public var x: Tensor3<Double>
  /// Targets, (B, S, N_out).
  public var y: Tensor3<Double>
  /// Output mask, (B, S, N_out), entries 0.0 or 1.0.
  public var mask: Tensor3<Double>
  /// The parameters of each trial, in trial order (B of them).
  public var parameters: [any TrialParameters]
  /// The 1-based number of this batch in its generator (PsychRNN's `batch` argument).
  public var batchNumber: Int

  public init(
    x: Tensor3<Double>, y: Tensor3<Double>, mask: Tensor3<Double>,
    parameters: [any TrialParameters], batchNumber: Int
  ) {
    precondition(
      x.d0 == y.d0 && x.d1 == y.d1 && y.shape == mask.shape && parameters.count == x.d0,
      "inconsistent batch: x \(x.shape), y \(y.shape), mask \(mask.shape), "
        + "\(parameters.count) parameter sets")
    self.x = x; self.y = y; self.mask = mask
    self.parameters = parameters; self.batchNumber = batchNumber
  }

  /// The number of trials (B).
  public var trialCount: Int { x.d0 }
}

extension Task {
  /// Builds batch number `number` (1-based) of `trials` trials (default `timing.nBatch`).
  ///
  /// Trial by trial, it draws the parameters and then writes the arrays, so random numbers are
  /// consumed in PsychRNN's order: trial 0's parameter draws, trial 0's noise for steps 0…S−1,
  /// then trial 1's, and so on. The same generator state gives the same batch.
  public func makeBatch(number: Int, trials: Int? = nil, using rng: inout NumpyRandom) throws -> TrialBatch {
    let count = trials ?? timing.nBatch
    precondition(count >= 0, "a batch needs a non-negative number of trials, got \(count)")
    let steps = timing.nSteps, nIn = timing.nIn, nOut = timing.nOut
    // Filled trial by trial (no zero-filling first: every element is written once).
    var xs: [Double] = [], ys: [Double] = [], masks: [Double] = []
    xs.reserveCapacity(count * steps * nIn)
    ys.reserveCapacity(count * steps * nOut)
    masks.reserveCapacity(count * steps * nOut)
    var parameters: [any TrialParameters] = []
    parameters.reserveCapacity(count)
    var arrays = TrialArrays(nSteps: steps, nIn: nIn, nOut: nOut)  // one trial's, reused
    for j in 0..<count {
      let p = try trialParameters(batch: number, trial: j, using: &rng)
      if j > 0 { arrays.reset() }
      try writeTrial(p, into: &arrays, using: &rng)
      precondition(
        arrays.x.count == steps * nIn && arrays.y.count == steps * nOut
          && arrays.mask.count == steps * nOut, "\(name).writeTrial changed the trial's size")
      xs.append(contentsOf: arrays.x)
      ys.append(contentsOf: arrays.y)
      masks.append(contentsOf: arrays.mask)
      parameters.append(p)
    }
    return TrialBatch(
      x: Tensor3(count, steps, nIn, storage: xs), y: Tensor3(count, steps, nOut, storage: ys),
      mask: Tensor3(count, steps, nOut, storage: masks), parameters: parameters, batchNumber: number)
  }
}

/// A task's endless stream of batches, numbered 1, 2, 3, … (PsychRNN's persistent
/// `_batch_generator`; `Curriculum.batch_generator()` corresponds to a fresh one).
public struct BatchGenerator: Sendable {
  /// The task the batches come from.
  public let task: any Task
  /// The number the next batch will carry; starts at 1.
  public private(set) var nextBatchNumber: Int = 1
  /// The task's place in its trials, for tasks that deal from a fixed set (`ArrayTask`).
  public private(set) var deck = TrialDeck()

  public init(task: any Task) {
    self.task = task
  }

  /// The next batch (`timing.nBatch` trials), drawing from `rng`; advances the counter.
  public mutating func next(using rng: inout NumpyRandom) throws -> TrialBatch {
    let batch = try task.nextBatch(number: nextBatchNumber, deck: &deck, using: &rng)
    nextBatchNumber += 1
    return batch
  }
}
