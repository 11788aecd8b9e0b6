// The cluster engine: job arrays through `sbatch`. The runs are grouped in packs of
// `--runs-per-task K` (pack p holds indices pK … pK+K-1); each array task runs one pack:
// `psychrnn sweep run DIR --index $((OFFSET + SLURM_ARRAY_TASK_ID))` for K = 1, or `--pack … K`.
// The packs are split into arrays whose task ids stay below the cluster's MaxArraySize (read
// from `scontrol show config`), each with OFFSET as the job script's argument; `--max-concurrent M`
// becomes `%M`; `--sbatch ARG` goes to sbatch as it is. The job ids are kept in DIR/slurm/jobs.txt
// so `--wait` and `status` can ask squeue about them.

import Foundation
#if canImport(Glibc)
  import Glibc
#endif

public struct SlurmEngine: SweepEngine {
  public let name = "slurm"
  public init() {}

  /// How often `--wait` asks squeue.
  public static let pollSeconds = 0.5

  public func submit(
    _ indices: [Int], of dir: SweepDirectory, manifest: Manifest, settings: EngineSettings
  ) throws(SweepError)
    -> Submission
  {
    guard let sbatch = Spawn.search("sbatch") else {
      throw .engine("sbatch is not on PATH: Slurm's client tools are not installed here (on a laptop use --engine local)")
    }
    let k = max(1, settings.runsPerTask)
    let maxArraySize = try SlurmEngine.maxArraySize()
    try dir.makeDirectory(dir.slurmPath)
    try dir.makeDirectory(dir.logsPath)
    let script = dir.slurmPath + "/job.sh"
    try writeAtomically(Array(SlurmEngine.jobScript(tool: settings.tool, dir: dir, runsPerTask: k).utf8), to: script)
    chmod(script, 0o755)
    let packs = Array(Set(indices.map { $0 / k })).sorted()
    var ids: [String] = []
    for chunk in SlurmEngine.arrays(packs, maxArraySize: maxArraySize) {
      var spec = SlurmEngine.arraySpec(chunk.tasks)
      if let m = settings.maxConcurrent { spec += "%\(m)" }
      let arguments =
        [
          "--parsable", "--job-name=psychrnn-sweep", "--array=\(spec)", "--output=\(dir.logsPath)/%A_%a.out",
          "--chdir=\(dir.path)",
        ] + settings.sbatchArguments + [script, String(chunk.offset)]
      let (status, output) = try Spawn.run(sbatch, arguments)
      let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
      guard status == 0, let id = text.split(separator: "\n").last.map({ String($0.split(separator: ";")[0]) }),
        !id.isEmpty, id.allSatisfy(\.isNumber)
      else {
        throw .engine(
          "sbatch refused the array (status \(status)): \(text.isEmpty ? "no message" : text)"
            + (ids.isEmpty ? "" : "; arrays \(ids.joined(separator: ", ")) were submitted before it"))
      }
      ids.append(id)
      try SlurmEngine.recordJob(id, in: dir)
    }
    if settings.wait { try SlurmEngine.waitFor(ids) }
    let arrays = ids.count == 1 ? "array \(ids[0])" : "\(ids.count) arrays (\(ids.joined(separator: ", ")))"
    return Submission(
      summary:
        "submitted \(indices.count) run\(indices.count == 1 ? "" : "s") as \(packs.count) task\(packs.count == 1 ? "" : "s") in \(arrays)"
        + (settings.wait ? "; all ended" : ""),
      jobIDs: ids)
  }

  public func queued(_ dir: SweepDirectory) -> String? {
    guard let states = SlurmEngine.queuedStates(dir) else { return nil }
    guard !states.isEmpty else { return "squeue: no tasks of this sweep are queued or running" }
    let counts = Dictionary(states.map { ($0.lowercased(), 1) }, uniquingKeysWith: +).sorted { $0.key < $1.key }
    return "squeue: " + counts.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
      + " array task\(states.count == 1 ? "" : "s")"
  }

  public func queuedCount(_ dir: SweepDirectory) -> Int? { SlurmEngine.queuedStates(dir)?.count }

  /// The states squeue gives the sweep's array tasks (one per task), nil when it cannot be asked.
  static func queuedStates(_ dir: SweepDirectory) -> [String]? {
    let ids = jobs(in: dir)
    guard !ids.isEmpty, let squeue = Spawn.search("squeue"),
      let (status, output) = try? Spawn.run(squeue, ["-h", "-r", "-j", ids.joined(separator: ","), "-o", "%T"])
    else { return nil }
    if status != 0 { return output.contains("Invalid job id") ? [] : nil }
    return output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  // MARK: - Pieces (pure, so the tests check them without a cluster)

  /// The job script: one array task runs one pack.
  public static func jobScript(tool: String, dir: SweepDirectory, runsPerTask k: Int) -> String {
    let task = "$(( ${1:-0} + SLURM_ARRAY_TASK_ID ))"
    let run =
      k == 1
      ? "--index \"\(task)\"" : "--pack \"\(task)\" --runs-per-task \(k)"
    return """
      #!/bin/sh
      # psychrnn sweep: array task $SLURM_ARRAY_TASK_ID (plus the offset given as $1) runs \(k == 1 ? "one run" : "a pack of \(k) runs").
      # Written by `psychrnn sweep`; the runs' results are in \(dir.runsPath).
      export OPENBLAS_NUM_THREADS=1
      exec \(quoted(tool)) sweep run \(quoted(dir.path)) \(run)

      """
  }

  /// Arrays of task ids below `maxArraySize`: each chunk has an offset (its first pack) and the
  /// task ids relative to it (all < maxArraySize, at most maxArraySize of them).
  public static func arrays(_ packs: [Int], maxArraySize: Int) -> [(offset: Int, tasks: [Int])] {
    var out: [(Int, [Int])] = []
    var i = 0
    while i < packs.count {
      let offset = packs[i]
      var tasks: [Int] = []
      while i < packs.count, packs[i] - offset < maxArraySize {
        tasks.append(packs[i] - offset)
        i += 1
      }
      out.append((offset, tasks))
    }
    return out
  }

  /// `0-7`, `0,3,5-9`: sorted task ids as Slurm's --array takes them.
  public static func arraySpec(_ tasks: [Int]) -> String {
    var parts: [String] = []
    var i = 0
    while i < tasks.count {
      var j = i
      while j + 1 < tasks.count, tasks[j + 1] == tasks[j] + 1 { j += 1 }
      parts.append(i == j ? "\(tasks[i])" : "\(tasks[i])-\(tasks[j])")
      i = j + 1
    }
    return parts.joined(separator: ",")
  }

  /// The cluster's MaxArraySize (`scontrol show config`): task ids must stay below it.
  public static func maxArraySize() throws(SweepError) -> Int {
    guard let scontrol = Spawn.search("scontrol") else {
      throw .engine("scontrol is not on PATH: Slurm's client tools are not installed here")
    }
    let (status, output) = try Spawn.run(scontrol, ["show", "config"])
    guard status == 0 else {
      throw .engine("scontrol show config failed (status \(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return parseMaxArraySize(output) ?? 1001
  }

  /// `MaxArraySize = 1001` from scontrol's text.
  public static func parseMaxArraySize(_ config: String) -> Int? {
    for line in config.split(separator: "\n") {
      let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      if parts.count == 2, parts[0] == "MaxArraySize", let n = Int(parts[1]), n > 0 { return n }
    }
    return nil
  }

  /// Blocks until squeue lists none of `ids` (tasks pending or running).
  public static func waitFor(_ ids: [String]) throws(SweepError) {
    guard !ids.isEmpty else { return }
    guard let squeue = Spawn.search("squeue") else { throw .engine("squeue is not on PATH: cannot wait for the arrays") }
    var failures = 0
    while true {
      let (status, output) = try Spawn.run(squeue, ["-h", "-r", "-j", ids.joined(separator: ","), "-o", "%i"])
      if status == 0 && output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
      if status != 0 {
        if output.contains("Invalid job id") { return }  // finished long enough ago to be forgotten
        failures += 1
        if failures >= 20 { throw .engine("squeue keeps failing (status \(status)): \(output)") }
      }
      usleep(useconds_t(pollSeconds * 1e6))
    }
  }

  static func recordJob(_ id: String, in dir: SweepDirectory) throws(SweepError) {
    let file = dir.slurmPath + "/jobs.txt"
    let previous = (try readIfPresent(file)) ?? []
    try writeAtomically(previous + Array((id + "\n").utf8), to: file)
  }

  /// The job ids submitted for this sweep.
  public static func jobs(in dir: SweepDirectory) -> [String] {
    guard let bytes = try? readIfPresent(dir.slurmPath + "/jobs.txt") else { return [] }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
