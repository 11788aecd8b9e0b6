// Batches and the batch generator: counter, reproducibility, custom trial counts, and the
// validation errors of the task constructors.

import Linear
import Testing
@testable import PsychRNN

@Test func generatorCountsFromOne() throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 200, nBatch: 2)
  var generator = BatchGenerator(task: task)
  var rng = NumpyRandom(seed: 1)
  #expect(generator.nextBatchNumber == 1)
  #expect(try generator.next(using: &rng).batchNumber == 1)
  #expect(try generator.next(using: &rng).batchNumber == 2)
  #expect(try generator.next(using: &rng).batchNumber == 3)
  #expect(generator.nextBatchNumber == 4)
}

@Test func sameSeedSameBatch() throws {
  let tasks: [any Task] = [
    try PerceptualDiscrimination(dt: 10, tau: 100, duration: 300, nBatch: 4),
    try MatchToCategory(dt: 10, tau: 100, duration: 1500, nBatch: 4),
    try DelayedDiscrimination(dt: 10, tau: 100, duration: 300, nBatch: 4),
  ]
  for task in tasks {
    var a = NumpyRandom(seed: 99), b = NumpyRandom(seed: 99)
    let first = try task.makeBatch(number: 1, using: &a), second = try task.makeBatch(number: 1, using: &b)
    #expect(first.x == second.x && first.y == second.y && first.mask == second.mask)
    let next = try task.makeBatch(number: 2, using: &a)
    #expect(next.x != first.x)
  }
}

@Test func generatorContinuesTheRandomStream() throws {
  // Batch 2 of a generator equals the trials a single double-size batch would have as 2nd half.
  let task = try DelayedDiscrimination(dt: 10, tau: 100, duration: 300, nBatch: 3)
  var generator = BatchGenerator(task: task)
  var rng = NumpyRandom(seed: 4), other = NumpyRandom(seed: 4)
  _ = try generator.next(using: &rng)
  let second = try generator.next(using: &rng)
  let both = try task.makeBatch(number: 1, trials: 6, using: &other)
  #expect(second.x == both.x.selecting([3, 4, 5]))
  #expect(second.mask == both.mask.selecting([3, 4, 5]))
}

@Test func customTrialCount() throws {
  let task = try MatchToCategory(dt: 20, tau: 100, duration: 2000, nBatch: 8, nIn: 4, nOut: 2)
  var rng = NumpyRandom(seed: 2)
  let batch = try task.makeBatch(number: 5, trials: 3, using: &rng)
  #expect(batch.trialCount == 3 && batch.x.shape == [3, 100, 4] && batch.y.shape == [3, 100, 2])
  #expect(batch.parameters.count == 3 && batch.batchNumber == 5)
  #expect(try task.makeBatch(number: 1, trials: 0, using: &rng).trialCount == 0)
}

/// The key a ConfigurationError names, or nil if `make` does not throw one.
private func failingKey(_ make: () throws -> any Task) -> String? {
  do { _ = try make(); return nil } catch let error as ConfigurationError { return error.key } catch { return "?" }
}

private func makePD(
  dt: Double = 10, tau: Double = 100, T: Double = 400, nBatch: Int = 8,
  coherence: Double? = nil, direction: Int? = nil
) throws -> any Task {
  try PerceptualDiscrimination(dt: dt, tau: tau, duration: T, nBatch: nBatch, coherence: coherence, direction: direction)
}

private func makeDD(_ times: [Double?]) throws -> any Task {
  try DelayedDiscrimination(
    dt: 10, tau: 100, duration: 400, nBatch: 8, onsetTime: times[0], stimDuration1: times[1],
    delayDuration: times[2], stimDuration2: times[3], decisionDuration: times[4])
}

@Test func invalidArgumentsNameTheirKey() {
  #expect(failingKey { try makePD(dt: 0) } == "dt")
  #expect(failingKey { try makePD(tau: -1) } == "tau")
  #expect(failingKey { try makePD(T: .infinity) } == "T")
  #expect(failingKey { try makePD(nBatch: 0) } == "N_batch")
  #expect(failingKey { try makePD(coherence: .nan) } == "coherence")
  #expect(failingKey { try makePD(direction: 2) } == "direction")
  #expect(failingKey { try makePD(coherence: -0.3, direction: 1) } == nil)
  #expect(failingKey { try MatchToCategory(dt: 10, tau: 100, duration: 400, nBatch: 8, nIn: 1) } == "N_in")
  #expect(failingKey { try MatchToCategory(dt: 10, tau: 100, duration: 400, nBatch: 8, nOut: 0) } == "N_out")
  #expect(failingKey { try makeDD([-1, nil, nil, nil, nil]) } == "onset_time")
  #expect(failingKey { try makeDD([nil, .nan, nil, nil, nil]) } == "stim_duration_1")
  #expect(failingKey { try makeDD([nil, nil, -0.5, nil, nil]) } == "delay_duration")
  #expect(failingKey { try makeDD([nil, nil, nil, -2, nil]) } == "stim_duration_2")
  #expect(failingKey { try makeDD([nil, nil, nil, nil, .infinity]) } == "decision_duration")
  #expect(failingKey { try makeDD([0, 0, 0, 0, 0]) } == nil)
}
