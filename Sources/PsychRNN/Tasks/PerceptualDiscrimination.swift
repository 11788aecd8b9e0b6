// PerceptualDiscrimination: PsychRNN's two-alternative forced choice. Two noisy input channels;
// during the stimulus one of them (the "direction") is higher by the coherence; after the
// stimulus the network should drive the matching output to `hi` (1.0) and the other to `lo` (0.2).
//
// Timeline of one trial (strict and non-strict inequalities exactly as PsychRNN tests them):
//   onset < t < onset + duration            stimulus: x[dir] += 1 + coherence, x[other] += 1
//   t ≥ onset + duration                    mask 1 (0 before)
//   t > onset + duration + 20               target y[dir] = hi, y[other] = lo (0 before)
// So for the first 20 time units after the stimulus the target is (0, 0) while the mask is
// already 1: PsychRNN's quirk, kept for fidelity.

import Linear

/// PsychRNN's `PerceptualDiscrimination(dt, tau, T, N_batch, coherence=None, direction=None)`.
public struct PerceptualDiscrimination: TypedTask {
  /// The parameters of one trial, with PsychRNN's keys.
  public struct Parameters: TrialParameters, Equatable {
    /// How much the chosen channel exceeds the other during the stimulus (`coherence`).
    public var coherence: Double
    /// The higher input channel and the correct output, 0 or 1 (`direction`).
    public var direction: Int
    /// Noise scale (`stim_noise`), always 0.1 in PsychRNN.
    public var stimNoise: Double
    /// Stimulus onset time (`onset_time`).
    public var onsetTime: Double
    /// Stimulus duration (`stim_duration`).
    public var stimDuration: Double

    public init(
      coherence: Double, direction: Int, stimNoise: Double = 0.1,
      onsetTime: Double, stimDuration: Double
    ) {
      self.coherence = coherence; self.direction = direction; self.stimNoise = stimNoise
      self.onsetTime = onsetTime; self.stimDuration = stimDuration
    }

    public var fields: [(key: String, value: ParameterValue)] {
      [
        ("coherence", .number(coherence)), ("direction", .number(Double(direction))),
        ("stim_noise", .number(stimNoise)), ("onset_time", .number(onsetTime)),
        ("stim_duration", .number(stimDuration)),
      ]
    }
  }

  /// The coherences drawn from when `coherence` is nil.
  public static let coherenceChoices = [0.1, 0.3, 0.5, 0.7]

  public let name = "PerceptualDiscrimination"
  public let timing: TaskTiming
  /// The fixed coherence of every trial, or nil to draw one per trial.
  public let coherence: Double?
  /// The fixed direction (0 or 1) of every trial, or nil to draw one per trial.
  public let direction: Int?
  /// Target value of the wrong output (`lo`).
  public let lo = 0.2
  /// Target value of the correct output (`hi`).
  public let hi = 1.0

  /// Validates like PsychRNN's `Task` plus: `coherence` finite, `direction` 0 or 1.
  public init(
    dt: Double, tau: Double, duration: Double, nBatch: Int,
    coherence: Double? = nil, direction: Int? = nil
  ) throws {
    timing = try TaskTiming(nIn: 2, nOut: 2, dt: dt, tau: tau, duration: duration, nBatch: nBatch)
    if let c = coherence, !c.isFinite {
      throw ConfigurationError.invalid(key: "coherence", message: "must be a finite number, got \(c)")
    }
    if let d = direction, d != 0 && d != 1 {
      throw ConfigurationError.invalid(key: "direction", message: "must be 0 or 1, got \(d)")
    }
    self.coherence = coherence
    self.direction = direction
  }

  public var settings: [(key: String, value: ParameterValue?)] {
    [
      ("coherence", coherence.map { .number($0) }),
      ("direction", direction.map { .number(Double($0)) }),
      ("lo", .number(lo)), ("hi", .number(hi)),
    ]
  }

  /// Draws in PsychRNN's order: coherence (only if not fixed), direction, onset, duration.
  ///
  /// Deliberate fix of a PsychRNN quirk: PsychRNN ignores the `direction` argument and always
  /// draws one. Here a fixed direction is used for every trial and consumes no random number;
  /// with `direction` nil the draw happens exactly where PsychRNN makes it.
  public func trialParameters(batch: Int, trial: Int, using rng: inout NumpyRandom) -> any TrialParameters {
    let T = timing.duration
    let coh = coherence ?? rng.choice(Self.coherenceChoices)
    let dir = direction ?? rng.integer(below: 2)
    let onset = rng.uniform() * T / 2.0
    let stimDuration = rng.uniform() * T / 4.0 + T / 8.0
    return Parameters(coherence: coh, direction: dir, onsetTime: onset, stimDuration: stimDuration)
  }

  /// Writes one trial period by period (see the timeline at the top of this file).
  public func write(_ p: Parameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) {
    let clock = TrialClock(timing)
    let (dir, other) = (p.direction, 1 - p.direction)
    let stimulusEnd = p.onsetTime + p.stimDuration
    trial.setNoise(scale: Self.noiseScale(dt: timing.dt, stimNoise: p.stimNoise), using: &rng)

    let stimulus = clock.steps(after: p.onsetTime, before: stimulusEnd)
    trial.addInput(1 + p.coherence, channel: dir, steps: stimulus)
    trial.addInput(1, channel: other, steps: stimulus)

    let response = clock.steps(after: stimulusEnd + 20)
    trial.setTarget(hi, channel: dir, steps: response)
    trial.setTarget(lo, channel: other, steps: response)

    trial.setMask(1, steps: clock.steps(from: stimulusEnd))
  }

  /// Input noise standard deviation, sqrt(2·0.01·√10·√dt·σ·σ), multiplied in exactly this
  /// left-to-right order (PsychRNN's expression), so trials match numpy bit for bit.
  /// It does not depend on tau.
  public static func noiseScale(dt: Double, stimNoise: Double) -> Double {
    let tenRoot = 10.0.squareRoot(), dtRoot = dt.squareRoot()
    return (2 * 0.01 * tenRoot * dtRoot * stimNoise * stimNoise).squareRoot()
  }
}
