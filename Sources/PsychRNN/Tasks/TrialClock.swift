// Which time steps of a trial fall inside a period. PsychRNN evaluates its period tests once per
// step, at time t = k·dt; here each test becomes a range of steps, found by bisection over the same
// times, so a period holds exactly the steps PsychRNN's per-step test selects (boundaries included).
// Also the few TrialArrays helpers tasks use to fill whole periods at once.

import Linear

/// The times of a trial's steps: step k sits at t = Double(k)·dt, as in PsychRNN's `t * dt`.
///
/// Each `steps(…)` method answers "for which k does this condition on t hold?" as a `Range`.
/// Because t grows with k, each condition holds on one contiguous run of steps.
/// The conditions are evaluated literally, so a NaN boundary selects no step, as in PsychRNN.
public struct TrialClock: Sendable, Equatable {
  /// The time step.
  public let dt: Double
  /// The number of steps.
  public let nSteps: Int

  public init(dt: Double, nSteps: Int) {
    self.dt = dt
    self.nSteps = nSteps
  }

  /// The clock of a task's trials.
  public init(_ timing: TaskTiming) {
    self.init(dt: timing.dt, nSteps: timing.nSteps)
  }

  /// The time of step k.
  @inlinable public func time(ofStep k: Int) -> Double { Double(k) * dt }

  /// The first step whose time satisfies `holds` (or `nSteps` if none does).
  /// `holds` must be false up to some step and true from then on, as any `t > a` or `t ≥ a` is.
  public func firstStep(where holds: (Double) -> Bool) -> Int {
    var low = 0, high = nSteps  // the answer lies in low…high
    while low < high {
      let middle = (low + high) / 2
      if holds(time(ofStep: middle)) { high = middle } else { low = middle + 1 }
    }
    return low
  }

  /// Steps with start < t < end (both strict).
  public func steps(after start: Double, before end: Double) -> Range<Int> {
    let first = firstStep { $0 > start }
    let stop = firstStep { !($0 < end) }
    return first..<max(first, stop)
  }

  /// Steps with start ≤ t < end.
  public func steps(from start: Double, before end: Double) -> Range<Int> {
    let first = firstStep { $0 >= start }
    let stop = firstStep { !($0 < end) }
    return first..<max(first, stop)
  }

  /// Steps with t > start.
  public func steps(after start: Double) -> Range<Int> {
    firstStep { $0 > start }..<nSteps
  }

  /// Steps with t ≥ start.
  public func steps(from start: Double) -> Range<Int> {
    firstStep { $0 >= start }..<nSteps
  }
}

extension TrialArrays {
  /// Sets every input to `scale · z`, z standard normal, drawn step by step and, within a step,
  /// channel by channel: the order of PsychRNN's per-step `scale * np.random.randn(N_in)`.
  public mutating func setNoise(scale: Double, using rng: inout NumpyRandom) {
    for i in x.indices { x[i] = scale * rng.normal() }
  }

  /// Adds `value` to input `channel` at each of `steps`.
  public mutating func addInput(_ value: Double, channel: Int, steps: Range<Int>) {
    precondition(channel >= 0 && channel < nIn, "input channel \(channel) out of 0..<\(nIn)")
    for k in steps { x[k * nIn + channel] += value }
  }

  /// Sets target `channel` to `value` at each of `steps`.
  public mutating func setTarget(_ value: Double, channel: Int, steps: Range<Int>) {
    precondition(channel >= 0 && channel < nOut, "output channel \(channel) out of 0..<\(nOut)")
    for k in steps { y[k * nOut + channel] = value }
  }

  /// Sets the mask of every output channel to `value` at each of `steps`.
  public mutating func setMask(_ value: Double, steps: Range<Int>) {
    for k in steps {
      for o in 0..<nOut { mask[k * nOut + o] = value }
    }
  }
}
