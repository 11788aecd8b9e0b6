// Draws a generator's batches one ahead, on a thread of its own, while the current step trains,
// so trial generation leaves the critical path.
//
// The draw ahead is speculative: training may stop (epochs done, performance cutoff, Ctrl-C) or
// a curriculum may switch tasks before taking it. `finish()` then undoes it, returning the
// generator and the trial stream as they were before it. So every batch, and the stream's state
// afterwards, are exactly those of drawing one at a time, whatever stops the training.
//
// The thread runs at a lower priority (nice +10): the step's own helper (StepPipeline's weight
// gradients) shares the second core with it and is on the critical path, while the next batch
// has a whole step to be ready. Its stack is large (16 MB), because a task written in the
// language runs the user's functions, which may recurse, on it.

import Dispatch
import Glibc
import Linear

/// Owns a batch generator and its random stream while training runs; hands batches over in order.
final class BatchPrefetcher: @unchecked Sendable {
  // The thread touches `generator`, `rng` and `pending` only between `request.signal()` and the
  // matching `ready.signal()`, and the caller only after `ready.wait()`: the semaphores order
  // every access. (Separate properties: one mutating call on each at once.)
  /// The generator and stream after the draw in flight (the thread advances them).
  private var generator: BatchGenerator
  private var rng: NumpyRandom
  /// The same before it: what `finish()` returns when the batch is not taken.
  private var before: (generator: BatchGenerator, rng: NumpyRandom)
  /// The batch drawn ahead, or the error drawing it raised (a user task's function may fail).
  private var pending: Result<TrialBatch, any Error>?
  /// The caller asks for a draw (or, with `stopping`, for the thread to end).
  private let request = DispatchSemaphore(value: 0)
  /// The thread has drawn.
  private let ready = DispatchSemaphore(value: 0)
  private var stopping = false
  private var thread: pthread_t?
  /// Whether a draw is in flight (started and not yet taken or undone).
  private var inFlight = false
  private var finished = false

  /// The drawing thread's stack, and how much lower its priority is than the trainer's.
  static let stackBytes = 16 << 20
  static let niceness: Int32 = 10

  /// Starts drawing the first batch at once.
  init(generator: BatchGenerator, rng: NumpyRandom) {
    self.generator = generator
    self.rng = rng
    before = (generator, rng)
    startThread()
    drawAhead()
  }

  deinit { stopThread() }

  private func startThread() {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, BatchPrefetcher.stackBytes)
    var id = pthread_t()
    let started = pthread_create(
      &id, &attributes,
      { context in
        Unmanaged<BatchPrefetcher>.fromOpaque(context!).takeUnretainedValue().serve()
        return nil
      }, Unmanaged.passUnretained(self).toOpaque())
    if started == 0 { thread = id }
  }

  /// The thread's loop: one draw per request, until asked to stop.
  private func serve() {
    // Linux's nice value is per thread; `who` 0 is the calling thread. Failing changes nothing.
    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, BatchPrefetcher.niceness)
    while true {
      request.wait()
      if stopping { return }
      pending = Result { try generator.next(using: &rng) }
      ready.signal()
    }
  }

  private func stopThread() {
    guard let id = thread else { return }
    stopping = true
    request.signal()
    pthread_join(id, nil)
    thread = nil
  }

  private func drawAhead() {
    before = (generator, rng)
    inFlight = true
    if thread != nil {
      request.signal()
    } else {  // no thread could be started: draw here, in order all the same
      pending = Result { try generator.next(using: &rng) }
      ready.signal()
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
  /// as they stood after the last batch `next()` returned. The thread ends.
  func finish() -> (BatchGenerator, NumpyRandom) {
    if inFlight {
      ready.wait()
      pending = nil
      inFlight = false
    }
    finished = true
    stopThread()
    return before
  }
}
