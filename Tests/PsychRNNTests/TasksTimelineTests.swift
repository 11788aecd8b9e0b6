// Timelines of the three tasks, checked in Swift alone: shapes, which steps fall in each period
// (boundaries exactly on a step included), targets, masks and fixed settings.

import Linear
import Testing
@testable import PsychRNN

/// Steps k of `trial` where `value(k)` is nonzero.
private func steps(_ t: Tensor3<Double>, trial b: Int, channel o: Int) -> [Int] {
  (0..<t.d1).filter { t[b, $0, o] != 0 }
}

// MARK: - TrialClock

@Test func clockSelectsPsychRNNStepsAtBoundaries() {
  let clock = TrialClock(dt: 10, nSteps: 40)  // t = 0, 10, …, 390
  #expect(clock.steps(after: 100, before: 200) == 11..<20)  // 100 < t < 200
  #expect(clock.steps(from: 100, before: 200) == 10..<20)  // 100 ≤ t < 200
  #expect(clock.steps(after: 100) == 11..<40)
  #expect(clock.steps(from: 100) == 10..<40)
  #expect(clock.steps(after: 95, before: 105) == 10..<11)
  #expect(clock.steps(after: 100, before: 100).isEmpty)
  #expect(clock.steps(from: 200, before: 100).isEmpty)
  #expect(clock.steps(from: -5, before: 1e9) == 0..<40)
  #expect(clock.steps(after: 390).isEmpty)
  #expect(clock.steps(from: .nan, before: 200).isEmpty)
  #expect(clock.steps(after: 0, before: .nan).isEmpty)
}

@Test func clockUsesProductTimes() {
  // Step 3 sits at 3 · 0.1 = 0.30000000000000004, just after 0.3, as numpy's `t * dt` puts it,
  // so "t > 0.3" already holds at step 3 (exact arithmetic would say step 4).
  let clock = TrialClock(dt: 0.1, nSteps: 10)
  #expect(clock.time(ofStep: 3) == 0.30000000000000004)
  #expect(clock.steps(after: 0.3).lowerBound == 3)
  #expect(clock.steps(from: 0.30000000000000004).lowerBound == 3)
  #expect(clock.steps(after: 0.30000000000000004).lowerBound == 4)
}

// MARK: - Shapes

@Test(arguments: [(10.0, 400.0, 40), (7.0, 400.0, 58), (0.3, 1.0, 4), (10.0, 5.0, 1)])
func batchShapesUseCeilOfTOverDt(dt: Double, duration: Double, steps: Int) throws {
  let tasks: [any Task] = [
    try PerceptualDiscrimination(dt: dt, tau: 100, duration: duration, nBatch: 3),
    try MatchToCategory(dt: dt, tau: 100, duration: duration, nBatch: 3, nIn: 5, nOut: 3),
    try DelayedDiscrimination(dt: dt, tau: 100, duration: duration, nBatch: 3),
  ]
  for task in tasks {
    var rng = NumpyRandom(seed: 0)
    let batch = try task.makeBatch(number: 1, using: &rng)
    #expect(task.timing.nSteps == steps)
    #expect(batch.x.shape == [3, steps, task.timing.nIn])
    #expect(batch.y.shape == [3, steps, task.timing.nOut])
    #expect(batch.mask.shape == [3, steps, task.timing.nOut])
    #expect(batch.parameters.count == 3)
  }
}

// MARK: - PerceptualDiscrimination

@Test func perceptualDiscriminationTimeline() throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: 1)
  let p = PerceptualDiscrimination.Parameters(coherence: 0.5, direction: 1, onsetTime: 100, stimDuration: 100)
  var arrays = TrialArrays(nSteps: 40, nIn: 2, nOut: 2)
  var rng = NumpyRandom(seed: 3)
  task.write(p, into: &arrays, using: &rng)
  let noise = PerceptualDiscrimination.noiseScale(dt: 10, stimNoise: 0.1)
  #expect(abs(noise - 0.0447213595499958) < 1e-15)
  var replay = NumpyRandom(seed: 3)
  for k in 0..<40 {
    let (z0, z1) = (replay.normal(), replay.normal())
    let stimulus = k >= 11 && k <= 19  // 100 < t < 200
    #expect(arrays.x[2 * k] == noise * z0 + (stimulus ? 1 : 0))
    #expect(arrays.x[2 * k + 1] == noise * z1 + (stimulus ? 1.5 : 0))
    let masked = k >= 20  // t ≥ 200
    #expect(arrays.mask[2 * k] == (masked ? 1 : 0) && arrays.mask[2 * k + 1] == (masked ? 1 : 0))
    let answer = k >= 23  // t > 220: the 20-unit zero-target gap
    #expect(arrays.y[2 * k] == (answer ? 0.2 : 0) && arrays.y[2 * k + 1] == (answer ? 1.0 : 0))
  }
}

@Test func perceptualDiscriminationFixedSettingsAreHonoured() throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 500, nBatch: 20, coherence: 0.9, direction: 0)
  var rng = NumpyRandom(seed: 5)
  let batch = try task.makeBatch(number: 1, using: &rng)
  for case let p as PerceptualDiscrimination.Parameters in batch.parameters {
    #expect(p.coherence == 0.9 && p.direction == 0)
  }
  // Channel 0 carries 1 + coherence, channel 1 carries 1; the target favours output 0.
  for b in 0..<20 {
    let answer = steps(batch.y, trial: b, channel: 0)
    #expect(!answer.isEmpty && answer.allSatisfy { batch.y[b, $0, 0] == 1.0 && batch.y[b, $0, 1] == 0.2 })
  }
  #expect(MaskedChoice.choices(batch.y, mask: batch.mask) == Array(repeating: 0, count: 20))
  // A fixed direction consumes no draw: with coherence fixed too, each trial draws two uniforms
  // (onset, duration) and then its 50 × 2 noise values.
  var replay = NumpyRandom(seed: 5)
  for case let p as PerceptualDiscrimination.Parameters in batch.parameters {
    let onset = replay.uniform() * 500 / 2.0
    let duration = replay.uniform() * 500 / 4.0 + 500 / 8.0
    #expect(p.onsetTime == onset && p.stimDuration == duration)
    _ = replay.normals(100)
  }
}

@Test func perceptualDiscriminationDrawsInPsychRNNOrder() throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: 1)
  var rng = NumpyRandom(seed: 8), manual = NumpyRandom(seed: 8)
  let p = try #require(task.trialParameters(batch: 1, trial: 0, using: &rng) as? PerceptualDiscrimination.Parameters)
  let coherence = manual.choice([0.1, 0.3, 0.5, 0.7])
  let direction = manual.integer(below: 2)
  let onset = manual.uniform() * 400 / 2.0
  let duration = manual.uniform() * 400 / 4.0 + 400 / 8.0
  #expect(
    p
      == PerceptualDiscrimination.Parameters(
        coherence: coherence, direction: direction,
        onsetTime: onset, stimDuration: duration))
  #expect(p.fields.map(\.key) == ["coherence", "direction", "stim_noise", "onset_time", "stim_duration"])
}

// MARK: - MatchToCategory

@Test func matchToCategoryUsesAbsoluteWindows() throws {
  let task = try MatchToCategory(dt: 10, tau: 100, duration: 2500, nBatch: 4)
  var rng = NumpyRandom(seed: 2)
  let batch = try task.makeBatch(number: 1, using: &rng)
  for b in 0..<4 {
    let p = try #require(batch.parameters[b] as? MatchToCategory.Parameters)
    for o in 0..<2 {
      #expect(steps(batch.mask, trial: b, channel: o) == Array(120..<200))  // 1200 ≤ t < 2000
    }
    #expect(steps(batch.y, trial: b, channel: p.category) == Array(120..<200))
    #expect(steps(batch.y, trial: b, channel: 1 - p.category).isEmpty)
    #expect(p.category == Int(p.angle / .pi))
  }
  // The bump is present exactly for 200 ≤ t < 1200: compare with the same trial written without it.
  let p = try #require(batch.parameters[0] as? MatchToCategory.Parameters)
  var withBump = TrialArrays(nSteps: 250, nIn: 16, nOut: 2), noBump = withBump
  var r1 = NumpyRandom(seed: 4), r2 = NumpyRandom(seed: 4)
  task.write(p, into: &withBump, using: &r1)
  noBump.setNoise(scale: (1.0 / 20) * 0.1, using: &r2)
  let bump = task.bump(at: p.angle)
  for k in 0..<250 {
    let inside = (20..<120).contains(k)
    for c in 0..<16 {
      #expect(withBump.x[k * 16 + c] == noBump.x[k * 16 + c] + (inside ? bump[c] : 0))
    }
  }
}

@Test func matchToCategoryKeepsTheSharedEndChannelQuirk() throws {
  let task = try MatchToCategory(dt: 10, tau: 100, duration: 2000, nBatch: 1, nIn: 16)
  #expect(task.channelAngles.first == 0 && task.channelAngles.last == 2 * .pi)
  let bump = task.bump(at: 0.3)
  #expect(abs(bump[0] - bump[15]) < 1e-15)  // channels 0 and 15 both sit at angle 0
  #expect(abs(bump[0] - 0.3813878154605241) < 1e-12)  // exp(−0.045)/√(2π)
}

@Test func matchToCategoryMaskIsAllZeroWhenTrialEndsBeforeResponse() throws {
  let task = try MatchToCategory(dt: 10, tau: 100, duration: 1200, nBatch: 5)
  var rng = NumpyRandom(seed: 1)
  let batch = try task.makeBatch(number: 1, using: &rng)
  #expect(batch.mask.storage.allSatisfy { $0 == 0 })
  #expect(batch.y.storage.allSatisfy { $0 == 0 })
}

// MARK: - DelayedDiscrimination

@Test func delayedDiscriminationWindowsInOrder() throws {
  let task = try DelayedDiscrimination(
    dt: 10, tau: 100, duration: 1000, nBatch: 8, onsetTime: 100,
    stimDuration1: 200, delayDuration: 100, stimDuration2: 150,
    decisionDuration: 300)
  var rng = NumpyRandom(seed: 12)
  let batch = try task.makeBatch(number: 1, using: &rng)
  for b in 0..<8 {
    let p = try #require(batch.parameters[b] as? DelayedDiscrimination.Parameters)
    #expect([p.stimulus1, p.delay, p.stimulus2, p.decision, p.end] == [100, 300, 400, 550, 850])
    #expect(p.choice == (p.f1 > p.f2 ? 0 : 1))
    #expect(steps(batch.mask, trial: b, channel: 0) == Array(55..<85))
    #expect(steps(batch.y, trial: b, channel: p.choice) == Array(55..<85))
    #expect(batch.y[b, 60, p.choice] == 1.0)
    #expect(steps(batch.y, trial: b, channel: 1 - p.choice) == Array(55..<85))
    #expect(batch.y[b, 60, 1 - p.choice] == 0.2)
  }
  // Inputs: stimulus 1 on steps 10..<30, stimulus 2 on 40..<55, noise only elsewhere.
  let p = try #require(batch.parameters[0] as? DelayedDiscrimination.Parameters)
  var arrays = TrialArrays(nSteps: 100, nIn: 2, nOut: 2), noise = arrays
  var r1 = NumpyRandom(seed: 6), r2 = NumpyRandom(seed: 6)
  task.write(p, into: &arrays, using: &r1)
  noise.setNoise(scale: PerceptualDiscrimination.noiseScale(dt: 10, stimNoise: 0.1), using: &r2)
  for k in 0..<100 {
    let f: Int? = (10..<30).contains(k) ? p.f1 : (40..<55).contains(k) ? p.f2 : nil
    #expect(arrays.x[2 * k] == noise.x[2 * k] + (f.map(DelayedDiscrimination.scaleUp) ?? 0))
    #expect(arrays.x[2 * k + 1] == noise.x[2 * k + 1] + (f.map(DelayedDiscrimination.scaleDown) ?? 0))
  }
  #expect(DelayedDiscrimination.scaleUp(10) == 0.4 && DelayedDiscrimination.scaleDown(34) == 0.4)
  #expect(abs(DelayedDiscrimination.scaleUp(34) - 1.2) < 1e-15)
}

@Test func delayedDiscriminationRandomTimesDrawInOrder() throws {
  let task = try DelayedDiscrimination(dt: 10, tau: 100, duration: 800, nBatch: 1, stimDuration1: 50)
  var rng = NumpyRandom(seed: 21), manual = NumpyRandom(seed: 21)
  let p = try #require(task.trialParameters(batch: 1, trial: 0, using: &rng) as? DelayedDiscrimination.Parameters)
  let onset = manual.uniform() * 800 / 8.0
  let delay = manual.uniform() * 800 / 4.0
  let stim2 = manual.uniform() * 800 / 4.0
  let decision = manual.uniform() * 800 / 8.0
  let pair = DelayedDiscrimination.frequencyPairs[manual.integer(below: 5)]
  let greater = manual.integer(below: 2) == 0
  #expect(p.stimulus1 == onset && p.delay == onset + 50 && p.stimulus2 == onset + 50 + delay)
  #expect(p.decision == onset + 50 + delay + stim2 && p.end == onset + 50 + delay + stim2 + decision)
  #expect((p.f1, p.f2) == (greater ? pair : (pair.1, pair.0)))
  #expect(
    p.fields.map(\.key) == [
      "stimulus_1", "delay", "stimulus_2", "decision", "end",
      "stim_noise", "f1", "f2", "choice",
    ])
}

// MARK: - Settings

@Test func settingsListPsychRNNAttributes() throws {
  let pd = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: 2, coherence: 0.3)
  #expect(pd.settings.map(\.key) == ["coherence", "direction", "lo", "hi"])
  #expect(pd.settings[0].value == .number(0.3) && pd.settings[1].value == nil)
  let dd = try DelayedDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: 2, delayDuration: 30)
  #expect(
    dd.settings.map(\.key) == [
      "onset_time", "stim_duration_1", "delay_duration", "stim_duration_2",
      "decision_duration", "frequency_pairs", "decision_options", "lo", "hi",
    ])
  #expect(dd.settings[2].value == .number(30))
  #expect(dd.settings[5].value == .text("[(18, 10), (22, 14), (26, 18), (30, 22), (34, 26)]"))
  #expect(dd.settings[6].value == .text("['>', '<']"))
  #expect(try MatchToCategory(dt: 10, tau: 100, duration: 400, nBatch: 2).settings.isEmpty)
}
