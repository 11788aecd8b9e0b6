// Runs per-step work of a backward pass on a second thread, behind the recursion that produces it.
//
// Backpropagation through time is a chain: step k's gradient g_k needs g_{k+1}. The weight
// gradients are not: dW_rec += (α·g_k)ᵀ·r_{k−1} only needs g_k, once it exists. So the recursion
// (main thread) publishes each step as it finishes it, and a worker on the other core runs that
// step's weight-gradient products meanwhile — a third of the arithmetic at every N_rec.
//
// The result is bit-identical to running the work inline: steps run strictly in order S, S−1 … 1,
// one at a time, on the same accumulators, whichever thread runs them. If the worker falls behind
// (the other core is busy), the main thread runs in `finish()` every step the worker has not yet
// claimed, and does not wait for a worker that has not started; nothing spins.

import Dispatch
import Glibc

/// Step-ordered work, run inline or on a helper thread; reused for every batch of a `train` call.
final class StepPipeline: @unchecked Sendable {
  // Everything below `lock` is read and written only with `lock` held.
  private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  /// The lowest step whose inputs are published (steps ≥ ready may run); S + 1 when none.
  private var ready = 0
  /// The next step to run (they run S, S−1 … 1); 0 when all have run.
  private var next = 0
  /// A thread is running a claimed range of steps outside the lock.
  private var busy = false
  /// The worker is waiting; wake it once `ready` ≤ `wakeAt`.
  private var workerWaiting = false, wakeAt = 0
  /// The current pass's worker job is queued but has not started, or is running. A job that
  /// starts after `finish()` gave up on it, or for an earlier pass, returns at once.
  private var workerQueued = false, workerRunning = false
  private var pass = 0
  private var work: (Int) -> Void = { _ in }

  private let queue = DispatchQueue(label: "psychrnn.step-pipeline")
  /// The worker waits until this many steps are ready (or all are), so that small networks do not
  /// pay a wake-up per step.
  private let chunk: Int

  init(chunk: Int = 4) {
    self.chunk = max(1, chunk)
    pthread_mutex_init(lock, nil)
    pthread_cond_init(changed, nil)
  }

  deinit {
    pthread_cond_destroy(changed)
    pthread_mutex_destroy(lock)
    lock.deallocate()
    changed.deallocate()
  }

  /// Starts a pass of `steps` steps; `work(k)` will run for k = steps … 1, in that order, each
  /// after `publish(k)`. Everything `work` touches must stay valid until `finish()` returns.
  func begin(steps: Int, work: @escaping (Int) -> Void) {
    pthread_mutex_lock(lock)
    precondition(!workerQueued && !workerRunning && !busy, "StepPipeline.begin while a pass is running")
    self.work = work
    ready = steps + 1
    next = steps
    pass += 1
    workerQueued = true
    let thisPass = pass
    pthread_mutex_unlock(lock)
    queue.async { self.drain(asWorkerOf: thisPass) }
  }

  /// Step k's inputs are complete (and so are those of every step above k).
  func publish(_ k: Int) {
    pthread_mutex_lock(lock)
    precondition(k <= ready, "steps are published S, S−1 … 1")
    ready = k
    if workerWaiting && k <= wakeAt { pthread_cond_broadcast(changed) }
    pthread_mutex_unlock(lock)
  }

  /// Publishes every step, runs whatever the worker has not, and waits until the worker is out
  /// (a worker that has not started by then is not waited for: it will find nothing to do).
  func finish() {
    publish(1)
    drain(asWorkerOf: nil)
    pthread_mutex_lock(lock)
    workerQueued = false
    while workerRunning { pthread_cond_wait(changed, lock) }
    work = { _ in }
    pthread_mutex_unlock(lock)
  }

  /// Claims and runs ready steps in order until none remain: as the worker of pass `workerPass`,
  /// or as the main thread (nil).
  private func drain(asWorkerOf workerPass: Int?) {
    let asWorker = workerPass != nil
    pthread_mutex_lock(lock)
    if let workerPass {
      guard workerPass == pass && workerQueued else { pthread_mutex_unlock(lock); return }
      workerQueued = false
      workerRunning = true
    }
    while next > 0 {
      if !busy && ready <= next {
        let high = next, low = ready
        busy = true
        next = low - 1
        let body = work
        pthread_mutex_unlock(lock)
        for k in stride(from: high, through: low, by: -1) { body(k) }
        pthread_mutex_lock(lock)
        busy = false
        pthread_cond_broadcast(changed)
      } else {
        if asWorker {
          workerWaiting = true
          wakeAt = busy ? Int.max : max(1, next - chunk + 1)
        }
        pthread_cond_wait(changed, lock)
        if asWorker { workerWaiting = false }
      }
    }
    if asWorker {
      workerRunning = false
      pthread_cond_broadcast(changed)
    }
    pthread_mutex_unlock(lock)
  }
}
