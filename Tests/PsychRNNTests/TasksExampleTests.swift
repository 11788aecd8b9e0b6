// The toy task from the `Task` documentation (Task.swift), copied verbatim, to prove it compiles
// and behaves as the comment says. Keep the two in step when either changes.

import Linear
import Testing
@testable import PsychRNN

struct CueResponse: TypedTask {
  struct Parameters: TrialParameters {
    var cueTime: Double
    var fields: [(key: String, value: ParameterValue)] { [("cue_time", .number(cueTime))] }
  }
  let name = "CueResponse"
  let timing: TaskTiming
  var settings: [(key: String, value: ParameterValue?)] { [] }

  init(dt: Double, tau: Double, duration: Double, nBatch: Int) throws {
    timing = try TaskTiming(nIn: 1, nOut: 1, dt: dt, tau: tau, duration: duration, nBatch: nBatch)
  }

  func trialParameters(batch: Int, trial: Int, using rng: inout NumpyRandom) -> any TrialParameters {
    Parameters(cueTime: rng.uniform() * timing.duration / 2)
  }

  func write(_ p: Parameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) {
    let cue = p.cueTime
    let clock = TrialClock(timing)  // step k sits at t = k·dt
    trial.setNoise(scale: 0.05, using: &rng)  // all steps, in PsychRNN's draw order
    trial.addInput(1, channel: 0, steps: clock.steps(from: cue, before: cue + 100))
    trial.setTarget(1, channel: 0, steps: clock.steps(from: cue))
    trial.setMask(1, steps: clock.steps(from: cue))
  }
}

@Test func documentedToyTaskWorks() throws {
  var rng = NumpyRandom(seed: 1)
  var batches = BatchGenerator(task: try CueResponse(dt: 10, tau: 100, duration: 500, nBatch: 4))
  let batch = try batches.next(using: &rng)  // batch.x is (4, 50, 1)
  #expect(batch.x.shape == [4, 50, 1])
  for b in 0..<4 {
    let cue = try #require(batch.parameters[b] as? CueResponse.Parameters).cueTime
    let first = Int((cue / 10).rounded(.up))
    #expect((0..<50).filter { batch.mask[b, $0, 0] == 1 } == Array(first..<50))
    #expect((0..<50).filter { batch.y[b, $0, 0] == 1 } == Array(first..<50))
  }
  // A single output channel: the choice is always channel 0, so accuracy is 1.
  #expect(try batches.task.accuracy(targets: batch.y, outputs: batch.x, mask: batch.mask) == 1)
}
