// `psychrnn sweep …`: the arguments (typed by Sweep's `SweepCommand`) to a plan, a submission, a
// run, a status, a table; messages to the terminal, an exit status back. Exit statuses: 0 done,
// 1 some runs not done, 64 bad arguments, 65 the script does not parse, 66 a file cannot be read,
// 69 the engine failed, 143 a SIGTERM stopped a run.

import Foundation
import RNNScript
import Sweep

public enum SweepTool {
  /// Runs `psychrnn sweep ARGUMENTS`; `tool` is this executable's path.
  public static func main(_ arguments: [String], tool: String) -> Int32 {
    let out = FileOutput.standardOutput, err = FileOutput.standardError
    let command: SweepCommand
    do { command = try SweepCommand.parse(arguments, tool: tool) } catch {
      err.write("psychrnn sweep: \(error)\n(psychrnn sweep --help lists the options)\n")
      return 64
    }
    do {
      switch command {
      case .help:
        out.write(SweepCommand.usage + "\n")
        return 0
      case .plan(let script, let axes, let mode, let outDir, let settings, let planOnly):
        return try plan(script: script, axes: axes, mode: mode, out: outDir, settings: settings, planOnly: planOnly)
      case .run(let d, let selection):
        Interrupts.install()
        return try SweepRunner.run(SweepDirectory(d), selection)
      case .status(let d):
        let dir = SweepDirectory(d)
        let engine = savedEngine(dir)
        let status = try SweepStatus.read(dir, nothingQueued: engine?.queuedCount(dir) == 0)
        out.write(status.text(queued: engine?.queued(dir), directory: d) + "\n")
        return status.count(.done) == status.total ? 0 : 1
      case .collect(let d):
        let dir = SweepDirectory(d)
        let table = try ResultsTable.collect(dir)
        try table.write(to: dir)
        let status = try SweepStatus.read(dir)
        out.write(
          "wrote \(dir.resultsCSV) and results.npz: \(table.rowCount) rows (\(status.count(.done)) done), columns "
            + table.columns.map(\.name).joined(separator: ", ") + "\n")
        return 0
      case .resubmit(let d, let given):
        let dir = SweepDirectory(d)
        let manifest = try dir.manifest()
        var settings = try given ?? dir.savedSettings() ?? EngineSettings()
        if settings.tool.isEmpty || given == nil { settings.tool = tool }
        let queue = savedEngine(dir)
        let status = try SweepStatus.read(dir, nothingQueued: queue?.queuedCount(dir) == 0)
        let indices = status.needingRun
        guard !indices.isEmpty else {
          out.write(
            "nothing to resubmit: \(status.count(.done)) of \(status.total) runs are done, \(status.count(.running)) running\n")
          return 0
        }
        return try submit(indices, dir: dir, manifest: manifest, settings: settings)
      }
    } catch let e as SweepError {
      err.write("psychrnn sweep: \(e)\n")
      if case .engine = e { return 69 }
      if case .file = e { return 66 }
      if case .noManifest = e { return 66 }
      return 64
    } catch {
      err.write("psychrnn sweep: \(error)\n")
      return 70
    }
  }

  /// The engine of the sweep's last submission, if any.
  static func savedEngine(_ dir: SweepDirectory) -> (any SweepEngine)? {
    guard let settings = try? dir.savedSettings() else { return nil }
    return try? Engines.named(settings.engine)
  }

  static func plan(
    script: String, axes: [GridAxis], mode: PlanMode, out: String, settings: EngineSettings, planOnly: Bool
  ) throws -> Int32 {
    let text: String
    do { text = try ScriptFile.read(script) } catch {
      FileOutput.standardError.write("psychrnn sweep: cannot read \(script): \(ScriptFile.reason(error))\n")
      return 66
    }
    // A script that does not parse would fail in every run: refuse it before planning.
    let (_, diagnostics) = Parser(source: text, file: script, commands: Commands.verbs).parse()
    if !diagnostics.isEmpty {
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      for d in diagnostics {
        let line = d.location.line >= 1 && d.location.line <= lines.count ? String(lines[d.location.line - 1]) : ""
        FileOutput.standardError.write(d.render(sourceLine: line) + "\n")
      }
      return 65
    }
    let plan = try SweepPlan.make(axes, mode: mode)
    let plannedAs: String
    switch mode {
    case .grid: plannedAs = "grid"
    case .random(let n, let seed): plannedAs = "random \(n) seed \(seed)"
    }
    let dir = SweepDirectory(out)
    let manifest = Manifest(scriptName: script, script: text, plan: plan, plannedAs: plannedAs)
    let existed = try dir.create(manifest)
    FileOutput.standardOutput.write(
      (existed ? "found the same sweep in \(dir.path): " : "planned into \(dir.path): ")
        + "\(plan.points.count) run\(plan.points.count == 1 ? "" : "s") of \(plan.names.joined(separator: " × "))\n")
    if planOnly { return 0 }
    let indices = try SweepStatus.read(dir).needingRun
    guard !indices.isEmpty else {
      FileOutput.standardOutput.write("every run is done or running; psychrnn sweep collect \(out) gathers the table\n")
      return 0
    }
    return try submit(indices, dir: dir, manifest: manifest, settings: settings)
  }

  static func submit(_ indices: [Int], dir: SweepDirectory, manifest: Manifest, settings: EngineSettings) throws -> Int32 {
    // Runs still in a queue are pending in their folders: submitting them again would run them twice.
    if let queued = savedEngine(dir)?.queuedCount(dir), queued > 0 {
      throw SweepError.engine(
        "\(queued) task\(queued == 1 ? " is" : "s are") of this sweep still queued or running (psychrnn sweep status \(dir.path)); "
          + "wait for them (or cancel them), then resubmit runs what is not done")
    }
    Interrupts.install()
    let engine = try Engines.named(settings.engine, isCancelled: { Interrupts.isRequested })
    try dir.saveSettings(settings)
    let submission = try engine.submit(indices, of: dir, manifest: manifest, settings: settings)
    FileOutput.standardOutput.write(submission.summary + "\n")
    if let terminated = Interrupts.terminationStatus { return terminated }
    guard engine.name == "local" || settings.wait else { return 0 }
    let status = try SweepStatus.read(dir)
    FileOutput.standardOutput.write(status.text(directory: dir.path) + "\n")
    return status.count(.done) == status.total ? 0 : 1
  }
}
