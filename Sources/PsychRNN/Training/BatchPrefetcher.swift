// Draws a generator's batches one ahead, on a background thread, while the current step trains,
// so trial generation (≈ 8% of a step at N_rec 50) leaves the critical path.
//
// The draw ahead is speculative: training may stop (epochs done, performance cutoff, Ctrl-C) or
// a curriculum may switch tasks before taking it. `finish()` then undoes it, returning the
// generator and the trial stream as they were before it. So every batch, and the stream's state
// afterwards, are exactly those of drawing one at a time, whatever stops the training.

import Dispatch
import Linear

/// Owns a batch generator and its random stream while training runs; hands batches over in order.
final class BatchPrefetcher: @unchecked Sendable {
  // The worker touches `generator`, `rng` and `pending` only between `drawAhead()` and the
  // matching `ready.signal()`, and the caller only after `ready.wait()`: the semaphore orders
  // every access. (Separate properties: one mutating call on each at once.)
  /// The generator and stream after the draw in flight (the worker advances them).
  private var generator: BatchGenerator
  private var rng: NumpyRandom
  /// The same before it: what `finish()` returns when the batch is not taken.
  private var before: (generator: BatchGenerator, rng: NumpyRandom)
  /// The batch drawn ahead, or the error drawing it raised (a user task's function may fail).
  private var pending: Result<TrialBatch, any Error>?
  private let ready = DispatchSemaphore(value: 0)
  private let queue = DispatchQueue(label: "psychrnn.batch-prefetch")
  /// Whether a draw is in flight (started and not yet taken or undone).
  private var inFlight = false
  private var finished = false

  /// Starts drawing the first batch at once.
  init(generator: BatchGenerator, rng: NumpyRandom) {
    self.generator = generator
    self.rng = rng
    before = (generator, rng)
    drawAhead()
  }

  private func drawAhead() {
    before = (generator, rng)
    inFlight = true
    queue.async {
      self.pending = Result { try self.generator.next(using: &self.rng) }
      self.ready.signal()
    }
  }

  /// The next batch of the stream (waiting for it if needed); starts drawing the one after
  /// unless `drawingAhead` is false (the caller knows it is the last: the end of training then
  /// waits for no draw it would undo). When drawing it failed, throws that error and draws
  /// nothing more (`finish()` then returns the stream as it stood before the failed draw).
  func next(drawingAhead: Bool = true) throws -> TrialBatch {
    precondition(!finished, "next() after finish()")
    if !inFlight { drawAhead() }  // nothing was drawn ahead: draw now
    ready.wait()
    inFlight = false
    let drawn = pending!
    pending = nil
    guard case .success(let batch) = drawn else {
      finished = true
      return try drawn.get()
    }
    if drawingAhead { drawAhead() } else { before = (generator, rng) }
    return batch
  }

  /// Waits for the draw in flight, if any, and undoes it: returns the generator and the stream
  /// as they stood after the last batch `next()` returned.
  func finish() -> (BatchGenerator, NumpyRandom) {
    if inFlight {
      ready.wait()
      pending = nil
      inFlight = false
    }
    finished = true
    return before
  }
}
