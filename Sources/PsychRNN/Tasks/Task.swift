// The task contract, as PsychRNN defines it: a task knows its sizes and timing, draws the
// parameters of one trial, writes that trial's inputs x, targets y and output mask, and scores
// a network's outputs. Everything else (batches, the batch counter) is built on top of that here.
//
// Shapes: B = trials per batch, S = time steps (N_steps), x (B, S, N_in), y and mask (B, S, N_out).
// Trial arrays are Double, as PsychRNN's numpy generators build them; models convert on input.

import Linear

/// Sizes and time constants shared by every task (PsychRNN's `Task.__init__`).
public struct TaskTiming: Sendable, Equatable {
  /// Number of input channels (PsychRNN `N_in`).
  public var nIn: Int
  /// Number of output channels (`N_out`).
  public var nOut: Int
  /// Simulation time step (`dt`), in the same unit as `duration` and `tau`.
  public var dt: Double
  /// Intrinsic time constant (`tau`).
  public var tau: Double
  /// Trial duration (`T`).
  public var duration: Double
  /// Trials per batch (`N_batch`).
  public var nBatch: Int

  /// Number of time steps, ceil(T / dt) (`N_steps`). `validate()` keeps it at most
  /// `maxSteps`; for timings it would refuse this is `Int.max` rather than a trap.
  public var nSteps: Int { Int(exactly: (duration / dt).rounded(.up)) ?? Int.max }

  /// The most time steps a trial may have (T / dt).
  public static let maxSteps = 10_000_000
  /// The most numbers one batch may hold, N_batch · N_steps · (N_in + 2·N_out).
  public static let maxBatchValues = 100_000_000
  /// dt / tau (`alpha`).
  public var alpha: Double { dt / tau }

  public init(nIn: Int, nOut: Int, dt: Double, tau: Double, duration: Double, nBatch: Int) throws {
    self.nIn = nIn; self.nOut = nOut; self.dt = dt; self.tau = tau
    self.duration = duration; self.nBatch = nBatch
    try validate()
  }

  /// Checks that sizes are positive and times finite and positive.
  public func validate() throws {
    func fail(_ key: String, _ why: String) -> ConfigurationError { .invalid(key: key, message: why) }
    guard nIn >= 1 else { throw fail("N_in", "must be at least 1, got \(nIn)") }
    guard nOut >= 1 else { throw fail("N_out", "must be at least 1, got \(nOut)") }
    guard dt.isFinite && dt > 0 else { throw fail("dt", "must be a positive number, got \(dt)") }
    guard tau.isFinite && tau > 0 else { throw fail("tau", "must be a positive number, got \(tau)") }
    guard duration.isFinite && duration > 0 else { throw fail("T", "must be a positive number, got \(duration)") }
    guard nBatch >= 1 else { throw fail("N_batch", "must be at least 1, got \(nBatch)") }
    // Counted in Double: T/dt may be 1e300 or infinite (dt 1e-300), and no Int conversion or
    // product may trap on the way to the message.
    let steps = (duration / dt).rounded(.up)
    guard steps <= Double(TaskTiming.maxSteps) else {
      throw fail(
        "T",
        "gives \(TaskTiming.count(steps)) steps (T / dt = \(duration) / \(dt)); at most \(TaskTiming.maxSteps) are allowed (lower T or raise dt)"
      )
    }
    let values = Double(nBatch) * steps * (Double(nIn) + 2 * Double(nOut))
    guard values <= Double(TaskTiming.maxBatchValues) else {
      throw fail(
        "T",
        "gives \(Int(steps)) steps of \(nBatch) trials, \(TaskTiming.count(values)) numbers per batch; at most \(TaskTiming.maxBatchValues) are allowed (lower T, raise dt or lower N_batch)"
      )
    }
    try MemoryBudget.require(
      2 * MemoryBudget.batchBytes(trials: nBatch, steps: Int(steps), nIn: nIn, nOut: nOut),
      for: "a batch of \(nBatch) trials of \(Int(steps)) steps", key: "N_batch", advice: "lower N_batch or T, or raise dt")
  }

  /// A count for a message: whole numbers below 10^15 as they are, larger ones as 1e+299.
  static func count(_ value: Double) -> String {
    value.isFinite && value < 1e15 ? String(Int(value)) : "\(value)"
  }
}

extension Task {
  /// `makeBatch(number:trials:using:)`, after checking that `trials` trials fit in the memory the
  /// process may still use (`MemoryBudget`): a `ConfigurationError` for the key `trials` instead of
  /// an allocation the system cannot give.
  public func batch(number: Int, trials: Int? = nil, using rng: inout NumpyRandom) throws -> TrialBatch {
    let count = trials ?? timing.nBatch
    guard count >= 0 else { throw ConfigurationError.invalid(key: "trials", message: "must be at least 0, got \(count)") }
    try MemoryBudget.require(
      MemoryBudget.batchBytes(trials: count, steps: timing.nSteps, nIn: timing.nIn, nOut: timing.nOut),
      for: "a batch of \(count) trials of \(timing.nSteps) steps", key: "trials", advice: "ask for fewer trials")
    return try makeBatch(number: number, trials: trials, using: &rng)
  }
}

/// One value among a trial's parameters (numbers such as `coherence`, or labels such as `'>'`).
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
  case number(Double)
  case text(String)

  public var description: String {
    switch self {
    case .number(let v): return "\(v)"
    case .text(let s): return "'\(s)'"
    }
  }

  /// The number, if this is one.
  public var number: Double? { if case .number(let v) = self { return v } else { return nil } }
}

/// The parameters of one trial, by PsychRNN's key names, in the order the task defines them.
public protocol TrialParameters: Sendable {
  /// (key, value) pairs, e.g. ("coherence", .number(0.3)), ("direction", .number(1)).
  var fields: [(key: String, value: ParameterValue)] { get }
}

/// Arrays of one trial, each (S, channels) row-major, filled by `Task.writeTrial`.
/// All start at zero; tasks add stimuli and set targets and masks over whole periods.
public struct TrialArrays: Sendable {
  public let nSteps: Int, nIn: Int, nOut: Int
  /// Inputs, (S, N_in) row-major.
  public var x: [Double]
  /// Targets, (S, N_out) row-major.
  public var y: [Double]
  /// Output mask, (S, N_out) row-major, 0.0 or 1.0.
  public var mask: [Double]

  public init(nSteps: Int, nIn: Int, nOut: Int) {
    self.nSteps = nSteps; self.nIn = nIn; self.nOut = nOut
    x = [Double](repeating: 0, count: nSteps * nIn)
    y = [Double](repeating: 0, count: nSteps * nOut)
    mask = [Double](repeating: 0, count: nSteps * nOut)
  }

  /// All zeros again, for the next trial of a batch: the storage is reused (made anew only if
  /// a task replaced an array by one of another size, which `makeBatch` then refuses).
  mutating func reset() {
    func zero(_ a: inout [Double], _ count: Int) {
      if a.count == count {
        a.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      } else {
        a = [Double](repeating: 0, count: count)
      }
    }
    zero(&x, nSteps * nIn)
    zero(&y, nSteps * nOut)
    zero(&mask, nSteps * nOut)
  }
}

/// A cognitive task. Conforming types provide the four pieces PsychRNN's `Task` subclasses do.
///
/// Only `trialParameters` and `write` hold the task's logic (a `TypedTask` gets `writeTrial`
/// from its typed `write`); `accuracy` defaults to
/// PsychRNN's masked-choice rule, and `makeBatch` / `BatchGenerator` build batches from the two.
/// A toy task: after a cue at a random time, output 1; the mask is on from the cue onward.
///
/// ```swift
/// struct CueResponse: TypedTask {
///   struct Parameters: TrialParameters {
///     var cueTime: Double
///     var fields: [(key: String, value: ParameterValue)] { [("cue_time", .number(cueTime))] }
///   }
///   let name = "CueResponse"
///   let timing: TaskTiming
///   var settings: [(key: String, value: ParameterValue?)] { [] }
///
///   init(dt: Double, tau: Double, duration: Double, nBatch: Int) throws {
///     timing = try TaskTiming(nIn: 1, nOut: 1, dt: dt, tau: tau, duration: duration, nBatch: nBatch)
///   }
///
///   func trialParameters(batch: Int, trial: Int, using rng: inout NumpyRandom) -> any TrialParameters {
///     Parameters(cueTime: rng.uniform() * timing.duration / 2)
///   }
///
///   func write(_ p: Parameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) {
///     let cue = p.cueTime
///     let clock = TrialClock(timing)  // step k sits at t = k·dt
///     trial.setNoise(scale: 0.05, using: &rng)  // all steps, in PsychRNN's draw order
///     trial.addInput(1, channel: 0, steps: clock.steps(from: cue, before: cue + 100))
///     trial.setTarget(1, channel: 0, steps: clock.steps(from: cue))
///     trial.setMask(1, steps: clock.steps(from: cue))
///   }
/// }
///
/// var rng = NumpyRandom(seed: 1)
/// var batches = BatchGenerator(task: try CueResponse(dt: 10, tau: 100, duration: 500, nBatch: 4))
/// let batch = batches.next(using: &rng)  // batch.x is (4, 50, 1)
/// ```
public protocol Task: Sendable {
  /// The PsychRNN class name, e.g. "PerceptualDiscrimination".
  var name: String { get }
  /// Sizes and time constants.
  var timing: TaskTiming { get }
  /// The task's own settings by PsychRNN key (for `get_task_params`-style display), e.g. coherence.
  var settings: [(key: String, value: ParameterValue?)] { get }
  /// Draws the parameters of trial `trial` (0-based) of batch `batch` (1-based), as
  /// `generate_trial_params` does, consuming random numbers in PsychRNN's order.
  func trialParameters(batch: Int, trial: Int, using rng: inout NumpyRandom) throws -> any TrialParameters
  /// Writes one trial's x, y and mask (PsychRNN's per-step `trial_function`, done period by period).
  /// Random draws (input noise) must come in PsychRNN's order: steps 0…S−1, channel by channel.
  func writeTrial(_ parameters: any TrialParameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) throws
  /// Fraction of trials answered correctly (`accuracy_function(y, output, mask)`).
  func accuracy(targets y: Tensor3<Double>, outputs: Tensor3<Double>, mask: Tensor3<Double>) throws -> Double
  /// A generator's next batch. By default `makeBatch`; a task dealing from a fixed set of trials
  /// (`ArrayTask`) keeps its place in `deck`, which the generator carries.
  func nextBatch(number: Int, deck: inout TrialDeck, using rng: inout NumpyRandom) throws -> TrialBatch
  /// The trials `test` and `accuracy` score. By default a fresh batch (`batch(number: 1, …)`);
  /// an `ArrayTask` with a holdout gives its held-out trials.
  func evaluationBatch(trials: Int?, using rng: inout NumpyRandom) throws -> TrialBatch
}

extension Task {
  public func nextBatch(number: Int, deck: inout TrialDeck, using rng: inout NumpyRandom) throws -> TrialBatch {
    try makeBatch(number: number, using: &rng)
  }

  public func evaluationBatch(trials: Int?, using rng: inout NumpyRandom) throws -> TrialBatch {
    try batch(number: 1, trials: trials, using: &rng)
  }
}

/// A task with its own trial-parameter type: it writes trials from typed parameters, and gets
/// `writeTrial` (which receives them type-erased from `makeBatch`) for free.
public protocol TypedTask: Task {
  associatedtype Parameters: TrialParameters
  /// Writes one trial from its parameters (whole periods at a time).
  func write(_ parameters: Parameters, into trial: inout TrialArrays, using rng: inout NumpyRandom)
}

extension TypedTask {
  public func writeTrial(_ parameters: any TrialParameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) {
    guard let p = parameters as? Parameters else {
      preconditionFailure("\(name) cannot use trial parameters of type \(type(of: parameters))")
    }
    write(p, into: &trial, using: &rng)
  }
}
