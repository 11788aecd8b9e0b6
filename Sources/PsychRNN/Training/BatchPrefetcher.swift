// Draws the next training batch on a background thread while the current step trains, so trial
// generation (≈ 8% of a step at N_rec 50) leaves the critical path. The batches, and the trial
// generator's state afterwards, are exactly those of drawing them one after another: the trainer
// uses it only when nothing else draws from the same generator in between (no performance
// measure, no curriculum) and asks only for batches it will use (except when cancelled).

import Dispatch
import Linear

/// Owns a batch generator and its random stream while training runs; hands batches over in order.
final class BatchPrefetcher: @unchecked Sendable {
  // Touched by the worker only between `request()` and the matching `ready.signal()`, and by the
  // caller only after `ready.wait()`: the semaphore orders every access.
  private var generator: BatchGenerator
  private var rng: NumpyRandom
  private var pending: TrialBatch?
  private var inFlight = false
  private let ready = DispatchSemaphore(value: 0)
  private let queue = DispatchQueue(label: "psychrnn.batch-prefetch")

  init(generator: BatchGenerator, rng: NumpyRandom) {
    self.generator = generator
    self.rng = rng
  }

  /// Starts drawing the next batch.
  func request() {
    precondition(!inFlight, "one batch at a time")
    inFlight = true
    queue.async {
      self.pending = self.generator.next(using: &self.rng)
      self.ready.signal()
    }
  }

  /// The batch started by the last `request()`, waiting for it if needed.
  func take() -> TrialBatch {
    precondition(inFlight, "take() without request()")
    ready.wait()
    inFlight = false
    defer { pending = nil }
    return pending!
  }

  /// Waits for any batch in flight and returns the generator and stream as they now are.
  func finish() -> (BatchGenerator, NumpyRandom) {
    if inFlight { _ = take() }
    return (generator, rng)
  }
}
