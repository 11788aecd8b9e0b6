// The laptop engine: a pool of worker processes on this machine, one per core unless `--jobs N`,
// each `psychrnn sweep run DIR --index I` with OpenBLAS on one thread. With two workers or more
// each is told it has one core (PSYCHRNN_CORES=1, PsychRNN/Training/CoreCount.swift), so its
// training keeps to one thread (no second-core prefetch; the numbers are the same either way)
// and the workers share the cores without oversubscribing them. They are not pinned: on a
// machine shared with other work the system moves each to the core that is free. It always
// waits: the pool lives as long as this process. A worker that dies without recording its end (killed, crashed)
// is marked FAILED here with its exit status.

import Foundation
#if canImport(Glibc)
  import Glibc
#endif

public struct LocalEngine: SweepEngine {
  public let name = "local"
  /// Polled while the workers run; true (the pool was sent SIGTERM or Ctrl-C) passes SIGTERM on
  /// to every worker, so each stops after its current batch and records STOPPED.
  let isCancelled: @Sendable () -> Bool
  public init(isCancelled: @escaping @Sendable () -> Bool = { false }) { self.isCancelled = isCancelled }

  public func submit(
    _ indices: [Int], of dir: SweepDirectory, manifest: Manifest, settings: EngineSettings
  ) throws(SweepError)
    -> Submission
  {
    let jobs = max(1, min(settings.jobs ?? LocalEngine.cores, max(1, indices.count)))
    try dir.makeDirectory(dir.logsPath)
    var queue = indices[...]
    var running: [pid_t: Int] = [:]
    var failures = 0
    let started = Date()
    var environment: [String: String?] = ["OPENBLAS_NUM_THREADS": "1"]
    if jobs >= 2 { environment["PSYCHRNN_CORES"] = "1" }
    func launch(_ index: Int) throws(SweepError) {
      let child = try Spawn.start(
        settings.tool, ["sweep", "run", dir.path, "--index", String(index)], environment: environment,
        output: .file(dir.logsPath + "/local-\(index).out"))
      running[child.pid] = index
    }
    var forwarded = false
    while !queue.isEmpty || !running.isEmpty {
      if !forwarded && isCancelled() {
        forwarded = true
        queue.removeAll()
        for pid in running.keys { kill(pid, SIGTERM) }
      }
      while !forwarded, running.count < jobs, let next = queue.popFirst() { try launch(next) }
      guard let (pid, status) = Spawn.reapAny(blocking: false) else {
        usleep(1_000)
        continue
      }
      guard let index = running.removeValue(forKey: pid) else { continue }
      let run = dir.run(index, of: manifest.count)
      if status != 0 { failures += 1 }
      let state = run.state()
      if state == .running || state == .lost || state == .pending {
        // The worker ended without recording how: record it, so status and resubmit see it.
        let ending = RunEnding(
          status: status, reason: "the worker process ended with status \(status) without recording its end", checkpoint: nil)
        if let start = try? run.started() {
          try run.finish(metrics: (try? run.metrics()) ?? [], start: start, ending: ending, stopped: false)
        } else {
          try run.markFailed(ending)
        }
      }
    }
    let seconds = Date().timeIntervalSince(started)
    let failed = (failures == 0 ? "" : ", \(failures) not done") + (forwarded ? "; stopped by a signal (resubmit continues)" : "")
    return Submission(
      summary:
        "ran \(indices.count) run\(indices.count == 1 ? "" : "s") on \(jobs) worker\(jobs == 1 ? "" : "s") in \(String(format: "%.1f", seconds)) s\(failed)"
    )
  }

  public func queued(_ dir: SweepDirectory) -> String? { nil }
  public func queuedCount(_ dir: SweepDirectory) -> Int? { nil }

  /// The cores this process may use.
  public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
