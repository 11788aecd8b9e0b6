// The laptop engine: a pool of worker processes on this machine, one per core unless `--jobs N`,
// each `psychrnn sweep run DIR --index I` with OpenBLAS on one thread. It always waits: the pool
// lives as long as this process. A worker that dies without recording its end (killed, crashed)
// is marked FAILED here with its exit status.

import Foundation
#if canImport(Glibc)
  import Glibc
#endif

public struct LocalEngine: SweepEngine {
  public let name = "local"
  public init() {}

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
    func launch(_ index: Int) throws(SweepError) {
      let child = try Spawn.start(
        settings.tool, ["sweep", "run", dir.path, "--index", String(index)],
        environment: ["OPENBLAS_NUM_THREADS": "1"], output: .file(dir.logsPath + "/local-\(index).out"))
      running[child.pid] = index
    }
    while !queue.isEmpty || !running.isEmpty {
      while running.count < jobs, let next = queue.popFirst() { try launch(next) }
      guard let (pid, status) = Spawn.reapAny(blocking: true) else { break }
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
          try writeAtomically(try JSONFile.encode(ending), to: run.failedPath)
        }
      }
    }
    let seconds = Date().timeIntervalSince(started)
    let failed = failures == 0 ? "" : ", \(failures) failed"
    return Submission(
      summary:
        "ran \(indices.count) run\(indices.count == 1 ? "" : "s") on \(jobs) worker\(jobs == 1 ? "" : "s") in \(String(format: "%.1f", seconds)) s\(failed)"
    )
  }

  public func queued(_ dir: SweepDirectory) -> String? { nil }

  /// The cores this process may use.
  public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
