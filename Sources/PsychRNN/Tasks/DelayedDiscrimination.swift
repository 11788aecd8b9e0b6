// DelayedDiscrimination: PsychRNN's Romo-style working-memory task. Two stimuli of different
// "frequencies" arrive with a delay between them; in the decision window the network should answer
// whether the first was higher ('>' → output 0) or lower ('<' → output 1).
//
// Timeline (each window half-open, start ≤ t < end, as PsychRNN tests them):
//   [stimulus_1, delay)        x[0] += P(f1), x[1] += Q(f1)
//   [stimulus_2, decision)     x[0] += P(f2), x[1] += Q(f2)
//   [decision, end)            y[choice] = hi, y[other] = lo, mask 1 (0 elsewhere)
// with P(f) = 0.4 + 0.8·(f − 10)/24 and Q(f) = 0.4 + 0.8·(34 − f)/24 (reverse ordering).
// Any duration may be near 0, so the decision window may hold no step; such a trial has an
// all-zero mask and counts as correct.

import Linear

/// PsychRNN's `DelayedDiscrimination(dt, tau, T, N_batch, onset_time=None, stim_duration_1=None,
/// delay_duration=None, stim_duration_2=None, decision_duration=None)`.
public struct DelayedDiscrimination: TypedTask {
  /// The parameters of one trial, with PsychRNN's keys (window starts are absolute times).
  public struct Parameters: TrialParameters, Equatable {
    /// Start of stimulus 1 (`stimulus_1`).
    public var stimulus1: Double
    /// Start of the delay, end of stimulus 1 (`delay`).
    public var delay: Double
    /// Start of stimulus 2 (`stimulus_2`).
    public var stimulus2: Double
    /// Start of the decision window (`decision`).
    public var decision: Double
    /// End of the decision window (`end`).
    public var end: Double
    /// Noise scale (`stim_noise`), 0.1.
    public var stimNoise: Double
    /// First frequency (`f1`).
    public var f1: Int
    /// Second frequency (`f2`).
    public var f2: Int
    /// Correct output: 0 when f1 > f2, 1 when f1 < f2 (`choice`).
    public var choice: Int

    public init(
      stimulus1: Double, delay: Double, stimulus2: Double, decision: Double, end: Double,
      stimNoise: Double = 0.1, f1: Int, f2: Int, choice: Int
    ) {
      self.stimulus1 = stimulus1; self.delay = delay; self.stimulus2 = stimulus2
      self.decision = decision; self.end = end; self.stimNoise = stimNoise
      self.f1 = f1; self.f2 = f2; self.choice = choice
    }

    public var fields: [(key: String, value: ParameterValue)] {
      [
        ("stimulus_1", .number(stimulus1)), ("delay", .number(delay)), ("stimulus_2", .number(stimulus2)),
        ("decision", .number(decision)), ("end", .number(end)), ("stim_noise", .number(stimNoise)),
        ("f1", .number(Double(f1))), ("f2", .number(Double(f2))), ("choice", .number(Double(choice))),
      ]
    }
  }

  /// The (higher, lower) frequency pairs a trial draws from (`frequency_pairs`).
  public static let frequencyPairs = [(18, 10), (22, 14), (26, 18), (30, 22), (34, 26)]
  /// The two answers (`decision_options`): f1 > f2 or f1 < f2.
  public static let decisionOptions = [">", "<"]

  public let name = "DelayedDiscrimination"
  public let timing: TaskTiming
  /// Fixed stimulus 1 onset (`onset_time`), or nil for U·T/8 per trial.
  public let onsetTime: Double?
  /// Fixed stimulus 1 duration (`stim_duration_1`), or nil for U·T/4 per trial.
  public let stimDuration1: Double?
  /// Fixed delay duration (`delay_duration`), or nil for U·T/4 per trial.
  public let delayDuration: Double?
  /// Fixed stimulus 2 duration (`stim_duration_2`), or nil for U·T/4 per trial.
  public let stimDuration2: Double?
  /// Fixed decision duration (`decision_duration`), or nil for U·T/8 per trial.
  public let decisionDuration: Double?
  /// Target value of the wrong output (`lo`).
  public let lo = 0.2
  /// Target value of the correct output (`hi`).
  public let hi = 1.0

  /// Validates like PsychRNN's `Task` plus: each given time finite and ≥ 0 (absolute times, in
  /// the unit of dt; PsychRNN's docs call them fractions of T, but its code uses them as times).
  public init(
    dt: Double, tau: Double, duration: Double, nBatch: Int,
    onsetTime: Double? = nil, stimDuration1: Double? = nil, delayDuration: Double? = nil,
    stimDuration2: Double? = nil, decisionDuration: Double? = nil
  ) throws {
    timing = try TaskTiming(nIn: 2, nOut: 2, dt: dt, tau: tau, duration: duration, nBatch: nBatch)
    let given = [
      ("onset_time", onsetTime), ("stim_duration_1", stimDuration1), ("delay_duration", delayDuration),
      ("stim_duration_2", stimDuration2), ("decision_duration", decisionDuration),
    ]
    for case let (key, value?) in given where !(value.isFinite && value >= 0) {
      throw ConfigurationError.invalid(key: key, message: "must be a finite number ≥ 0, got \(value)")
    }
    self.onsetTime = onsetTime; self.stimDuration1 = stimDuration1; self.delayDuration = delayDuration
    self.stimDuration2 = stimDuration2; self.decisionDuration = decisionDuration
  }

  public var settings: [(key: String, value: ParameterValue?)] {
    let pairs = Self.frequencyPairs.map { "(\($0.0), \($0.1))" }.joined(separator: ", ")
    let options = Self.decisionOptions.map { "'\($0)'" }.joined(separator: ", ")
    return [
      ("onset_time", onsetTime.map { .number($0) }),
      ("stim_duration_1", stimDuration1.map { .number($0) }),
      ("delay_duration", delayDuration.map { .number($0) }),
      ("stim_duration_2", stimDuration2.map { .number($0) }),
      ("decision_duration", decisionDuration.map { .number($0) }),
      ("frequency_pairs", .text("[\(pairs)]")),
      ("decision_options", .text("[\(options)]")),
      ("lo", .number(lo)), ("hi", .number(hi)),
    ]
  }

  /// Draws in PsychRNN's order: each unset time (onset, stim 1, delay, stim 2, decision), then
  /// the frequency pair, then the option.
  public func trialParameters(batch: Int, trial: Int, using rng: inout NumpyRandom) -> any TrialParameters {
    let T = timing.duration
    // uniform(0, 1) is 0 + 1·U = U exactly, so a plain uniform() draws the same value.
    let onset = onsetTime ?? rng.uniform() * T / 8.0
    let stim1 = stimDuration1 ?? rng.uniform() * T / 4.0
    let delayDur = delayDuration ?? rng.uniform() * T / 4.0
    let stim2 = stimDuration2 ?? rng.uniform() * T / 4.0
    let decisionDur = decisionDuration ?? rng.uniform() * T / 8.0
    let pair = rng.choice(Self.frequencyPairs)
    let greater = rng.integer(below: Self.decisionOptions.count) == 0  // '>' is option 0
    let delay = onset + stim1, stimulus2 = delay + delayDur, decision = stimulus2 + stim2
    return Parameters(
      stimulus1: onset, delay: delay, stimulus2: stimulus2, decision: decision,
      end: decision + decisionDur,
      f1: greater ? pair.0 : pair.1, f2: greater ? pair.1 : pair.0, choice: greater ? 0 : 1)
  }

  /// Writes one trial period by period (see the timeline at the top of this file).
  public func write(_ p: Parameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) {
    let clock = TrialClock(timing)
    trial.setNoise(scale: PerceptualDiscrimination.noiseScale(dt: timing.dt, stimNoise: p.stimNoise), using: &rng)

    for (f, window) in [
      (p.f1, clock.steps(from: p.stimulus1, before: p.delay)),
      (p.f2, clock.steps(from: p.stimulus2, before: p.decision)),
    ] {
      trial.addInput(Self.scaleUp(f), channel: 0, steps: window)
      trial.addInput(Self.scaleDown(f), channel: 1, steps: window)
    }

    let decision = clock.steps(from: p.decision, before: p.end)
    trial.setTarget(hi, channel: p.choice, steps: decision)
    trial.setTarget(lo, channel: 1 - p.choice, steps: decision)
    trial.setMask(1, steps: decision)
  }

  /// P(f) = 0.4 + 0.8·(f − 10)/24: frequency 10…34 onto 0.4…1.2.
  public static func scaleUp(_ f: Int) -> Double { 0.4 + 0.8 * Double(f - 10) / Double(34 - 10) }

  /// Q(f) = 0.4 + 0.8·(34 − f)/24: the same range, reverse ordering.
  public static func scaleDown(_ f: Int) -> Double { 0.4 + 0.8 * Double(34 - f) / Double(34 - 10) }
}
