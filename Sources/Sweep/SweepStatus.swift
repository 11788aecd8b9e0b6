// `psychrnn sweep status DIR`: how many runs are done, running, pending, failed, stopped or lost,
// and the failures' last errors, all from the run folders; an engine may add what its queue says.

/// The states of a sweep's runs.
public struct SweepStatus: Sendable, Equatable {
  public let total: Int
  /// The runs in each state.
  public let indices: [RunState: [Int]]
  /// The failed, stopped and lost runs with their reasons, in index order.
  public let problems: [(index: Int, state: RunState, reason: String)]

  public static func == (a: SweepStatus, b: SweepStatus) -> Bool {
    a.total == b.total && a.indices == b.indices && a.problems.map(\.index) == b.problems.map(\.index)
  }

  public func count(_ s: RunState) -> Int { indices[s]?.count ?? 0 }

  /// The runs `resubmit` runs again: every one not done and not running.
  public var needingRun: [Int] { RunState.allCases.filter(\.needsRun).flatMap { indices[$0] ?? [] }.sorted() }

  /// Reads the state of every run of `dir`. With `nothingQueued` (the engine's queue holds none of
  /// the sweep's tasks), a run that started and never ended, on whatever host, is lost, not running.
  public static func read(_ dir: SweepDirectory, nothingQueued: Bool = false) throws(SweepError) -> SweepStatus {
    let manifest = try dir.manifest()
    var indices: [RunState: [Int]] = [:]
    var problems: [(Int, RunState, String)] = []
    for i in 0..<manifest.count {
      let run = dir.run(i, of: manifest.count)
      var s = run.state()
      if s == .running && nothingQueued { s = .lost }
      indices[s, default: []].append(i)
      switch s {
      case .failed, .stopped:
        problems.append((i, s, (try? run.ending())??.reason ?? "no reason recorded"))
      case .lost:
        problems.append(
          (
            i, s,
            nothingQueued
              ? "started, never ended, and no task of the sweep is queued (killed?)"
              : "started on this machine by a process that no longer exists"
          ))
      default: break
      }
    }
    return SweepStatus(total: manifest.count, indices: indices, problems: problems)
  }

  /// The report `sweep status` prints; `queued` adds what an engine's queue says; `directory`
  /// names the sweep in the hint to resubmit.
  public func text(queued: String? = nil, directory: String = "DIR") -> String {
    let order: [RunState] = [.done, .running, .pending, .failed, .stopped, .lost]
    var lines = [
      "\(total) run\(total == 1 ? "" : "s"): "
        + order.filter { count($0) > 0 || $0 == .done }.map { "\(count($0)) \($0.rawValue)" }
        .joined(separator: ", ")
    ]
    if let queued { lines.append(queued) }
    for p in problems.prefix(20) { lines.append("  run \(p.index) \(p.state.rawValue): \(p.reason)") }
    if problems.count > 20 { lines.append("  … and \(problems.count - 20) more") }
    if !needingRun.isEmpty && count(.running) == 0 && count(.pending) < total {
      lines.append("psychrnn sweep resubmit \(directory) runs the \(needingRun.count) not done")
    }
    return lines.joined(separator: "\n")
  }
}
