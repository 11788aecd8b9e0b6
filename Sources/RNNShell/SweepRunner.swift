// `psychrnn sweep run DIR --index I`: one run of a sweep, in this process, as every engine runs it.
// A fresh session gets the run's values bound (exactly as `--set` binds them), the frozen script
// runs in a shell whose output goes to the run's output.txt (relative paths resolve in the run
// folder, so `save net "w.npz"` lands there), and the run's files record the result: metrics.json
// from `report`, then DONE, FAILED (with the last error) or STOPPED, each with the run's timing.
//
// A SIGTERM (Slurm's time limit) stops training after the current batch (Interrupts); the current
// network is saved to checkpoint.npz, the run is marked STOPPED, the rest of a pack is left
// pending, and the process ends with 143: `sweep resubmit` runs those again. Every run has
// `sweep_resume` bound: none, or (in the attempt after a stop) the checkpoint's file name, moved
// to resume.npz, so a script can continue from it:
//   if sweep_resume == none { net = Basic(task, N_rec: 50) } else { net = Basic(task, load_weights_path: sweep_resume) }
// A script that never reads it runs exactly as alone with `--set`.

import Foundation
import Glibc
import RNNScript
import Sweep

public enum SweepRunner {
  /// Runs the selected runs; the exit status (0 when every one is done).
  public static func run(
    _ dir: SweepDirectory, _ selection: RunSelection, log: FileOutput = .standardOutput
  ) throws(SweepError)
    -> Int32
  {
    let manifest = try dir.manifest()
    let script = String(decoding: try dir.read(dir.scriptPath), as: UTF8.self)
    var worst: Int32 = 0
    for index in try selection.indices(count: manifest.count) {
      if let terminated = Interrupts.terminationStatus { return terminated }
      let run = dir.run(index, of: manifest.count)
      if run.state() == .done {
        log.write("run \(index): done already\n")
        continue
      }
      let status = try execute(run, values: try manifest.values(of: index), script: script)
      log.write("run \(index): \(run.state().rawValue)\(status == 0 ? "" : " (status \(status))")\n")
      if status != 0 { worst = status }
      if let terminated = Interrupts.terminationStatus { return terminated }
    }
    return worst
  }

  /// One run: bind, run the script into output.txt, record how it ended. Returns its status.
  static func execute(_ run: RunFolder, values: [(name: String, value: BoundValue)], script: String) throws(SweepError) -> Int32 {
    let resume = try takeCheckpoint(run)
    let start = try run.begin(values: values)
    let fd = open(run.outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .file(path: run.outputPath, problem: "cannot be written (\(String(cString: strerror(errno))))") }
    defer { close(fd) }
    let output = FileOutput(fileDescriptor: fd)
    let terminal = Terminal(
      environment: ["COLUMNS": "100", "NO_COLOR": "1"], inputIsTerminal: false, outputIsTerminal: false, output: output,
      errorOutput: output)
    let session = Session()
    session.directory = run.path
    for (name, value) in values {
      do { try session.bindFromOutside(name, value) } catch {
        let ending = RunEnding(status: 64, reason: "cannot bind \(error)", checkpoint: nil)
        try run.finish(metrics: [], start: start, ending: ending, stopped: false)
        return 64
      }
    }
    try? session.bindFromOutside(resumeName, resume.map { .string($0) } ?? .none)
    let shell = Shell(session: session, terminal: terminal)
    let exit = shell.run(script: script, file: "script.rnn")
    let metrics = session.reported.compactMap { r in ReportedValue.bound(r.value).map { NamedValue(name: r.name, value: $0) } }
    // A signal after the last statement leaves a finished run: it is done. One during the script
    // stopped it (the shell ends the script at the signal): STOPPED, with the network.
    if let signalled = Interrupts.terminationStatus, exit != .finished && exit != .quit {
      var saved: String?
      if let name = session.currentNetwork, case .network(let n)? = session.variables[name] {
        if (try? n.model.save(to: run.checkpointPath)) != nil { saved = "checkpoint.npz" }
      }
      let reason =
        "stopped by signal \(signalled - 128) (a time limit?)" + (saved.map { "; the network is saved in \($0)" } ?? "")
      try run.finish(
        metrics: metrics, start: start, ending: RunEnding(status: signalled, reason: reason, checkpoint: saved), stopped: true)
      return signalled
    }
    switch exit {
    case .finished, .quit:
      try run.finish(metrics: metrics, start: start, ending: nil, stopped: false)
      return 0
    case .failed, .interrupted:
      let status: Int32
      if case .failed(let s) = exit { status = s } else { status = 130 }
      let reason = lastError(in: run.outputPath) ?? "the script failed with status \(status)"
      try run.finish(
        metrics: metrics, start: start, ending: RunEnding(status: status, reason: reason, checkpoint: nil), stopped: false)
      return status
    }
  }

  /// The name bound in every run: none, or the checkpoint of the stopped attempt before.
  public static let resumeName = "sweep_resume"

  /// When the previous attempt was stopped with a checkpoint, moves it to resume.npz and returns
  /// that name (relative to the run folder, where the script's paths resolve).
  static func takeCheckpoint(_ run: RunFolder) throws(SweepError) -> String? {
    guard run.state() == .stopped, FileManager.default.fileExists(atPath: run.checkpointPath) else {
      return FileManager.default.fileExists(atPath: run.path + "/resume.npz") ? "resume.npz" : nil
    }
    if rename(run.checkpointPath, run.path + "/resume.npz") != 0 {
      throw .file(path: run.checkpointPath, problem: "cannot be moved to resume.npz (\(String(cString: strerror(errno))))")
    }
    return "resume.npz"
  }

  /// The last line of `file` that reports an error.
  static func lastError(in file: String) -> String? {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
    return text.split(separator: "\n").last { $0.contains("error:") || $0.hasPrefix("interrupted") }.map {
      String($0.prefix(500))
    }
  }
}

/// A reported value back as a table cell.
enum ReportedValue {
  static func bound(_ v: Value) -> BoundValue? {
    switch v {
    case .number(let d): return .number(d)
    case .bool(let b): return .bool(b)
    case .string(let s): return .string(s)
    default: return nil
    }
  }
}
