// MatchToCategory: PsychRNN's ring categorization task. N_in input channels sit around a circle
// and carry a Gaussian bump centred on a random angle; the network must answer which of N_out
// equal slices of the circle (the "category") the angle falls in.
//
// Timeline (absolute times, whatever T is):
//   200 ≤ t < 1200     input bump added to the noise
//   1200 ≤ t < 2000    target 1 on the category's output, mask 1 on every output (0 elsewhere)
// With T ≤ 1200 no step reaches the response window, so every mask is all zero.
//
// Quirk kept for fidelity: channel c sits at angle 2πc/(N_in − 1) (numpy's linspace from 0 to 2π
// inclusive), so the first and the last channel sit at the same angle (0 ≡ 2π).

import Foundation
import Linear

/// PsychRNN's `MatchToCategory(dt, tau, T, N_batch, N_in=16, N_out=2)`.
public struct MatchToCategory: TypedTask {
  /// The parameters of one trial, with PsychRNN's keys.
  public struct Parameters: TrialParameters, Equatable {
    /// Stimulus angle in [0, 2π) (`angle`).
    public var angle: Double
    /// The output channel whose slice holds the angle (`category`).
    public var category: Int
    /// Stimulus onset time (`onset_time`), 200.
    public var onsetTime: Double
    /// Stimulus duration (`input_dur`), 1000.
    public var inputDuration: Double
    /// Response window duration (`output_dur`), 800.
    public var outputDuration: Double
    /// Noise scale (`stim_noise`), 0.1.
    public var stimNoise: Double

    public init(
      angle: Double, category: Int, onsetTime: Double = 200, inputDuration: Double = 1000,
      outputDuration: Double = 800, stimNoise: Double = 0.1
    ) {
      self.angle = angle; self.category = category; self.onsetTime = onsetTime
      self.inputDuration = inputDuration; self.outputDuration = outputDuration; self.stimNoise = stimNoise
    }

    public var fields: [(key: String, value: ParameterValue)] {
      [
        ("angle", .number(angle)), ("category", .number(Double(category))),
        ("onset_time", .number(onsetTime)), ("input_dur", .number(inputDuration)),
        ("output_dur", .number(outputDuration)), ("stim_noise", .number(stimNoise)),
      ]
    }
  }

  public let name = "MatchToCategory"
  public let timing: TaskTiming
  /// numpy's `linspace(0, 2π, N_in)`: the angle of each input channel.
  public let channelAngles: [Double]

  /// Validates like PsychRNN's `Task` plus `N_in` ≥ 2 (the channel angles need two points).
  public init(dt: Double, tau: Double, duration: Double, nBatch: Int, nIn: Int = 16, nOut: Int = 2) throws {
    timing = try TaskTiming(nIn: nIn, nOut: nOut, dt: dt, tau: tau, duration: duration, nBatch: nBatch)
    guard nIn >= 2 else {
      throw ConfigurationError.invalid(key: "N_in", message: "must be at least 2 for MatchToCategory, got \(nIn)")
    }
    channelAngles = Self.linspaceToTwoPi(count: nIn)
  }

  /// MatchToCategory has no settings beyond the shared sizes and times.
  public var settings: [(key: String, value: ParameterValue?)] { [] }

  /// One uniform draw: angle = 2π·U, category = ⌊angle / (2π / N_out)⌋.
  public func trialParameters(batch: Int, trial: Int, using rng: inout NumpyRandom) -> any TrialParameters {
    let angle = 2 * Double.pi * rng.uniform()
    // PsychRNN would crash if rounding ever gave N_out here (angle within an ulp of 2π); we clamp.
    let category = min(Int(angle / (2 * Double.pi / Double(timing.nOut))), timing.nOut - 1)
    return Parameters(angle: angle, category: category)
  }

  /// Writes one trial period by period (see the timeline at the top of this file).
  public func write(_ p: Parameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) {
    let clock = TrialClock(timing)
    // PsychRNN: (1/(2·dt))·stim_noise·randn, the two scalars multiplied first.
    trial.setNoise(scale: (1.0 / (2 * timing.dt)) * p.stimNoise, using: &rng)

    let stimulusEnd = p.onsetTime + p.inputDuration
    let stimulus = clock.steps(from: p.onsetTime, before: stimulusEnd)
    for (channel, value) in bump(at: p.angle).enumerated() {
      trial.addInput(value, channel: channel, steps: stimulus)
    }

    let response = clock.steps(from: stimulusEnd, before: stimulusEnd + p.outputDuration)
    trial.setTarget(1, channel: p.category, steps: response)
    trial.setMask(1, steps: response)
  }

  /// The input bump: for each channel, the unit Gaussian density of its angular distance to
  /// `angle`, the distance wrapped once into [−π, π].
  ///
  /// Same arithmetic as PsychRNN; only `exp` may differ in the last bit: numpy's own vectorized
  /// exp (used on AVX-512 machines) and the C library's exp used here disagree on ~5% of inputs
  /// by one ulp (≤ 6e-17 here). With the C library's exp on both sides the trials are identical.
  public func bump(at angle: Double) -> [Double] {
    channelAngles.map { channelAngle in
      var d = channelAngle - angle
      if d > Double.pi { d = -2 * Double.pi + d } else if d < -Double.pi { d = 2 * Double.pi + d }
      return exp(-(d * d) / 2.0) / (2 * Double.pi).squareRoot()
    }
  }

  /// numpy's `linspace(0, 2π, n)` for n ≥ 2: c·(2π/(n−1)), with the last point exactly 2π.
  static func linspaceToTwoPi(count n: Int) -> [Double] {
    let step = 2 * Double.pi / Double(n - 1)
    return (0..<n).map { $0 == n - 1 ? 2 * Double.pi : Double($0) * step }
  }
}
