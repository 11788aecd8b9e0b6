// Numbers users type that are far out of range (docs/reliability.md, "Unchecked conversions" and
// "Memory caps"): every Double→Int conversion of them is checked, and what would not fit in the
// memory the process may use is refused, with the figure and the limit, before it is allocated.

import Foundation
import Linear
import Testing

@testable import PsychRNN

struct LimitTests {
  private func message(_ body: () throws -> Void) -> String? {
    do { try body() } catch let e as ConfigurationError { return e.description } catch { return "\(error)" }
    return nil
  }

  @Test(arguments: [(10.0, 1e300), (1e-300, 2000.0), (10.0, Double.greatestFiniteMagnitude), (5e-324, 1.0)])
  func hugeStepCountsAreRefusedWithTheLimit(dt: Double, T: Double) {
    let text = message { _ = try PerceptualDiscrimination(dt: dt, tau: 100, duration: T, nBatch: 8) }
    #expect(text?.contains("at most 10000000") == true, "\(text ?? "no error")")
  }

  @Test func hugeChannelCountsDoNotOverflow() {
    let text = message {
      _ = try TaskTiming(nIn: Int.max, nOut: Int.max, dt: 10, tau: 100, duration: 100, nBatch: 1)
    }
    #expect(text?.contains("at most 100000000") == true, "\(text ?? "no error")")
  }

  @Test func trainingItersBeyondTheLimitIsTooLarge() {
    var options = TrainingOptions()
    options.trainingIters = Int.max
    let text = message { try options.validate() }
    #expect(text?.contains("too large") == true && text?.contains("\(TrainingOptions.maxTrainingIters)") == true, "\(text ?? "")")
  }

  @Test func memoryEstimatesBeyondEverythingAreRefused() {
    let text = message { try MemoryBudget.require(1e30, for: "this", key: "N_rec", advice: "lower N_rec") }
    #expect(text?.contains("this would need 1e+06 PB") == true || text?.contains("would need") == true, "\(text ?? "")")
    #expect(message { try MemoryBudget.require(1e6, for: "this", key: "N_rec", advice: "") } == nil)
    #expect(message { try MemoryBudget.require(.infinity, for: "this", key: "N_rec", advice: "") } != nil)
  }

  @Test func cgroupLimitsAreParsed() {
    #expect(MemoryBudget.bytes(fromLimit: "max\n") == nil)
    #expect(MemoryBudget.bytes(fromLimit: "2147483648\n") == 2_147_483_648)
    #expect(MemoryBudget.bytes(fromLimit: "9223372036854771712") == nil)  // v1's "no limit"
    #expect(MemoryBudget.available().map { $0 > 0 } == true)
  }

  @Test func aBatchTooLargeForMemoryIsRefusedBeforeItIsMade() throws {
    let task = try PerceptualDiscrimination(dt: 1, tau: 100, duration: 1_000_000, nBatch: 1)
    var rng = NumpyRandom(seed: 1)
    let text = message { _ = try task.batch(number: 1, trials: 100_000_000, using: &rng) }
    #expect(text?.contains("trials") == true && text?.contains("would need") == true, "\(text ?? "")")
    #expect(try task.batch(number: 1, trials: 2, using: &rng).trialCount == 2)
  }
}
