// A task from trials made elsewhere (NeuroGym's Dataset, MATLAB, a saved batch): arrays x
// (trials, S, N_in), y and mask (trials, S, N_out), as PsychRNN's batches are shaped.
//
// Training deals its trials without replacement, epoch by epoch: a generator keeps its place in
// a deck (`TrialDeck`), shuffled from the trial stream at the start of each epoch with numpy's
// legacy shuffle, so a seed replays the order. A `holdout` fraction of the trials, chosen once when
// the task is made, is kept aside: training never sees it, and `evaluationBatch` (what `test` and
// `accuracy` use) is exactly those trials, in order.

import Linear

/// One trial of an array task: its index among the task's trials.
public struct ArrayTrial: TrialParameters {
  public let index: Int
  public var fields: [(key: String, value: ParameterValue)] { [("trial", .number(Double(index)))] }
}

/// Trials given as arrays.
public struct ArrayTask: Task {
  public let name: String
  public let timing: TaskTiming
  public let x: Tensor3<Double>
  public let y: Tensor3<Double>
  public let mask: Tensor3<Double>
  /// Indices of the trials training draws from, in file order.
  public let training: [Int]
  /// Indices of the held-out trials, in file order.
  public let heldOut: [Int]

  /// Checks the shapes (x: trials × steps × N_in; y and mask: trials × steps × N_out), then keeps
  /// `holdout` of the trials (rounded up, at least one left for training) aside, chosen by a
  /// shuffle drawn from `rng`.
  public init(
    name: String = "Task", x: Tensor3<Double>, y: Tensor3<Double>, mask: Tensor3<Double>?, dt: Double, tau: Double,
    nBatch: Int, holdout: Double = 0, using rng: inout NumpyRandom
  ) throws {
    func fail(_ key: String, _ why: String) -> ConfigurationError { .invalid(key: key, message: why) }
    guard x.d0 >= 1 && x.d1 >= 1 && x.d2 >= 1 else {
      throw fail("x", "must hold at least one trial of one step and one channel, got \(x.shape)")
    }
    guard y.d0 == x.d0 && y.d1 == x.d1 && y.d2 >= 1 else {
      throw fail("y", "must be trials × steps × N_out with x's \(x.d0) trials and \(x.d1) steps, got \(y.shape)")
    }
    let m = mask ?? Tensor3(y.d0, y.d1, y.d2, repeating: 1)
    guard m.shape == y.shape else { throw fail("mask", "must have y's shape \(y.shape), got \(m.shape)") }
    guard x.storage.allSatisfy(\.isFinite), y.storage.allSatisfy(\.isFinite), m.storage.allSatisfy(\.isFinite) else {
      throw fail("x", "x, y and mask must be finite (a NaN or infinity would poison training)")
    }
    guard holdout.isFinite && holdout >= 0 && holdout < 1 else {
      throw fail("holdout", "must be a fraction in [0, 1), got \(holdout)")
    }
    timing = try TaskTiming(nIn: x.d2, nOut: y.d2, dt: dt, tau: tau, duration: Double(x.d1) * dt, nBatch: nBatch)
    self.name = name
    self.x = x; self.y = y; self.mask = m
    let n = x.d0
    let kept = min(Int((holdout * Double(n)).rounded(.up)), n - 1)
    if kept == 0 {
      training = Array(0..<n); heldOut = []
    } else {
      var order = Array(0..<n)
      rng.shuffle(&order)
      heldOut = order.prefix(kept).sorted()
      training = order.dropFirst(kept).sorted()
    }
  }

  public var settings: [(key: String, value: ParameterValue?)] {
    [("trials", .number(Double(x.d0))), ("holdout", .number(Double(heldOut.count)))]
  }

  /// Outside a generator (`batch task`): training trials drawn uniformly, with replacement.
  public func trialParameters(batch: Int, trial: Int, using rng: inout NumpyRandom) -> any TrialParameters {
    ArrayTrial(index: training[rng.integer(below: training.count)])
  }

  public func writeTrial(_ parameters: any TrialParameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) {
    guard let p = parameters as? ArrayTrial else { preconditionFailure("\(name) cannot use \(type(of: parameters))") }
    copy(p.index, into: &trial)
  }

  /// A generator's batch: the next `nBatch` trials of the deck, reshuffled when it runs out.
  public func nextBatch(number: Int, deck: inout TrialDeck, using rng: inout NumpyRandom) throws -> TrialBatch {
    var picked: [Int] = []
    picked.reserveCapacity(timing.nBatch)
    while picked.count < timing.nBatch {
      if deck.position >= deck.order.count {
        deck.order = training
        rng.shuffle(&deck.order)
        deck.position = 0
      }
      picked.append(deck.order[deck.position])
      deck.position += 1
    }
    return batch(of: picked, number: number)
  }

  /// The held-out trials in order (the first `trials` of them when given); without a holdout,
  /// a batch as `batch` draws.
  public func evaluationBatch(trials: Int?, using rng: inout NumpyRandom) throws -> TrialBatch {
    guard !heldOut.isEmpty else { return try batch(number: 1, trials: trials, using: &rng) }
    let count = min(trials ?? heldOut.count, heldOut.count)
    return batch(of: Array(heldOut.prefix(count)), number: 1)
  }

  private func batch(of indices: [Int], number: Int) -> TrialBatch {
    let s = timing.nSteps, nIn = timing.nIn, nOut = timing.nOut
    var bx = Tensor3<Double>(indices.count, s, nIn), by = Tensor3<Double>(indices.count, s, nOut)
    var bm = Tensor3<Double>(indices.count, s, nOut)
    for (j, i) in indices.enumerated() {
      bx.storage.replaceSubrange((j * s * nIn)..<((j + 1) * s * nIn), with: x.storage[(i * s * nIn)..<((i + 1) * s * nIn)])
      by.storage.replaceSubrange((j * s * nOut)..<((j + 1) * s * nOut), with: y.storage[(i * s * nOut)..<((i + 1) * s * nOut)])
      bm.storage.replaceSubrange((j * s * nOut)..<((j + 1) * s * nOut), with: mask.storage[(i * s * nOut)..<((i + 1) * s * nOut)])
    }
    return TrialBatch(x: bx, y: by, mask: bm, parameters: indices.map(ArrayTrial.init), batchNumber: number)
  }

  private func copy(_ i: Int, into trial: inout TrialArrays) {
    let s = timing.nSteps, nIn = timing.nIn, nOut = timing.nOut
    trial.x = Array(x.storage[(i * s * nIn)..<((i + 1) * s * nIn)])
    trial.y = Array(y.storage[(i * s * nOut)..<((i + 1) * s * nOut)])
    trial.mask = Array(mask.storage[(i * s * nOut)..<((i + 1) * s * nOut)])
  }
}

/// Where a generator stands in an array task's shuffled trials.
public struct TrialDeck: Sendable, Equatable {
  public var order: [Int] = []
  public var position = 0
  public init() {}
}
