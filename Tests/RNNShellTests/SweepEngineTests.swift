// Sweeps end to end, through the real binary: `--set` and `report`, an 8-run sweep on the local
// pool and on a real single-node Slurm (scripts/slurm-local.sh: munged, slurmctld and slurmd
// started here and stopped by PID), the tables read back by Python's csv module, and one row
// compared bit for bit with the same run alone (`--set`). A SIGTERM mid-training leaves a STOPPED
// run with a checkpoint that `resubmit` continues from. In CI (PSYCHRNN_CI=1, set by .ci/run) a
// Slurm that cannot start fails the test; elsewhere the Slurm test runs when the tools are there.

import Foundation
import Glibc
import Testing
import TestSupport

enum SweepSupport {
  /// Examples/sweep.rnn: seed s, a Basic network of n units trained briefly, three reports, a save.
  static var script: String {
    get throws {
      let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
      return try String(contentsOf: repository.appendingPathComponent("Examples/sweep.rnn"), encoding: .utf8)
    }
  }

  static var inCI: Bool { ProcessInfo.processInfo.environment["PSYCHRNN_CI"] == "1" }

  /// Whether a private Slurm can be tried here: its programs are installed and we are root; in
  /// CI always (a missing Slurm is then a failure).
  static var slurmCanStart: Bool {
    inCI
      || (getuid() == 0
        && ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch"].allSatisfy {
          FileManager.default.isExecutableFile(atPath: $0)
        })
  }

  /// Runs `psychrnn ARGS` in `dir` (arguments quoted for /bin/sh).
  static func psychrnn(
    _ arguments: [String], in dir: String, environment: [String: String] = [:], timeout: Double = 120
  )
    throws -> (status: Int32, output: String)
  {
    let line = "exec " + ([try ChildProcess.binary()] + arguments).map(ChildProcess.quoted).joined(separator: " ")
    let r = try ChildProcess(shell: line, directory: dir, environment: environment).finish(timeout: timeout)
    return (r.status, r.output)
  }

  /// results.csv of `sweep` as Python's csv module reads it: one dictionary per row.
  static func table(_ sweep: String) throws -> [[String: String]] {
    let json = try Python.run(
      "import csv, json, sys\nprint(json.dumps(list(csv.DictReader(open(sys.argv[1] + '/results.csv')))))",
      arguments: [sweep])
    return try JSONDecoder().decode([[String: String]].self, from: Data(json.utf8))
  }

  /// The numbers of a `report: name value, …` line, by name, parsed exactly.
  static func reported(_ output: String) -> [String: String] {
    guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("report: ") }) else { return [:] }
    var out: [String: String] = [:]
    for part in line.dropFirst("report: ".count).components(separatedBy: ", ") {
      let pieces = part.split(separator: " ", maxSplits: 1).map(String.init)
      if pieces.count == 2 { out[pieces[0]] = pieces[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }
    return out
  }

  /// Checks the table of the 8-run sweep, and row 5 against the same run alone; returns the rows.
  static func checkTable(_ sweep: String, in dir: String) throws -> [[String: String]] {
    let rows = try table(sweep)
    #expect(rows.count == 8)
    #expect(rows.map { $0["index"] } == (0..<8).map { String($0) })
    #expect(rows.map { $0["s"] } == ["1", "1", "2", "2", "3", "3", "4", "4"])
    #expect(rows.map { $0["n"] } == ["8", "16", "8", "16", "8", "16", "8", "16"])
    #expect(rows.allSatisfy { $0["state"] == "done" })
    #expect(rows.map { $0["name"] } == (0..<8).map { "s\($0 / 2 + 1)-n\($0 % 2 == 0 ? 8 : 16)" })
    for row in rows {
      let acc = Double(row["accuracy"] ?? "") ?? -1, loss = Double(row["loss"] ?? "") ?? -1
      #expect(acc >= 0 && acc <= 1 && loss > 0 && loss.isFinite)
      #expect((Double(row["wall_time"] ?? "") ?? -1) > 0)
    }
    // Different seeds and sizes train different networks.
    #expect(Set(rows.map { $0["loss"]! }).count == 8)
    for i in 0..<8 {
      let folder = sweep + "/runs/" + String(format: "%05d", i)
      #expect(FileManager.default.fileExists(atPath: folder + "/weights.npz"))
      #expect(FileManager.default.fileExists(atPath: folder + "/DONE"))
    }
    // Row 5 (s = 3, n = 16) alone: the very same numbers, bit for bit.
    let alone = try psychrnn(["--set", "s=3", "--set", "n=16", "script.rnn"], in: dir)
    #expect(alone.status == 0, "\(alone.output)")
    let values = reported(alone.output)
    for key in ["accuracy", "loss"] {
      let a = Double(values[key] ?? "x"), b = Double(rows[5][key] ?? "y")
      #expect(a != nil && a?.bitPattern == b?.bitPattern, "\(key): alone \(values[key] ?? "-"), sweep \(rows[5][key] ?? "-")")
    }
    return rows
  }
}

@Suite(.serialized) struct SweepEngineTests {
  @Test func setBindsNamesAndReportShowsThemExactly() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try SweepSupport.psychrnn(
      [
        "--set", "lr=0.1", "--set", "opt=adam", "--set", "xs=[1, 2, 3]", "--set", "flag=true", "-e",
        "report a: lr * 3 b: opt c: len(xs) d: flag e: xs[2]",
      ], in: dir)
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output == "report: a 0.30000000000000004, b \"adam\", c 3, d true, e 3\n")
    // Names the language keeps, malformed values and misplaced reports are refused with a reason.
    let keyword = try SweepSupport.psychrnn(["--set", "train=1", "-e", "print 1"], in: dir)
    #expect(keyword.status == 64 && keyword.output.contains("'train' is the name of a command"))
    let bad = try SweepSupport.psychrnn(["--set", "xs=[1, 2", "-e", "print 1"], in: dir)
    #expect(bad.status == 64 && bad.output.contains("expected ',' or ']'"))
    let noName = try SweepSupport.psychrnn(["--set", "=3", "-e", "print 1"], in: dir)
    #expect(noName.status == 64 && noName.output.contains("--set needs NAME=VALUE"))
    let reserved = try SweepSupport.psychrnn(["--set", "s=1", "-e", "report s: 2"], in: dir)
    #expect(reserved.status == 70 && reserved.output.contains("'s' was bound from outside"))
    let array = try SweepSupport.psychrnn(["-e", "report x: [1, 2]"], in: dir)
    #expect(array.status == 70 && array.output.contains("report takes numbers, booleans and strings; 'x' is a list"))
    let shaped = try SweepSupport.psychrnn(["-e", "report x: zeros([2, 3])"], in: dir)
    #expect(shaped.status == 70 && shaped.output.contains("'x' is an array of shape (2, 3)"))
  }

  @Test func theLocalEngineRunsEveryPointAndCollectsOneTable() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try (try SweepSupport.script).write(toFile: dir + "/script.rnn", atomically: true, encoding: .utf8)
    let run = try SweepSupport.psychrnn(
      ["sweep", "script.rnn", "--grid", "s=1..4", "--grid", "n=8,16", "--out", "sweep", "--jobs", "2"], in: dir)
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.contains("planned into \(dir)/sweep: 8 runs of s × n"))
    #expect(run.output.contains("8 runs: 8 done"))
    let collect = try SweepSupport.psychrnn(["sweep", "collect", "sweep"], in: dir)
    #expect(collect.status == 0, "\(collect.output)")
    let rows = try SweepSupport.checkTable(dir + "/sweep", in: dir)
    // At the prompt: the same table, and the group means of the runs' accuracies.
    let prompt = try SweepSupport.psychrnn(
      [
        "-e", "t = load_sweep(\"sweep\")", "-e", "g = group_by(t, \"n\", \"accuracy\")", "-e",
        "print len(t.index) t.state[7] g.n g.n_runs", "-e", "report m8: g.accuracy_mean[0] m16: g.accuracy_mean[1]",
      ], in: dir)
    #expect(prompt.status == 0, "\(prompt.output)")
    #expect(prompt.output.contains("8 done [8, 16] [4, 4]"))
    let means = SweepSupport.reported(prompt.output)
    for (key, size) in [("m8", "8"), ("m16", "16")] {
      let accs = rows.filter { $0["n"] == size }.map { Double($0["accuracy"]!)! }
      #expect(Double(means[key] ?? "x") == accs.reduce(0, +) / 4, "\(prompt.output)")
    }
    // Planning it again finds the same manifest and has nothing left to run; another plan is refused.
    let again = try SweepSupport.psychrnn(
      ["sweep", "script.rnn", "--grid", "s=1..4", "--grid", "n=8,16", "--out", "sweep"], in: dir)
    #expect(again.status == 0 && again.output.contains("every run is done"))
    let other = try SweepSupport.psychrnn(
      ["sweep", "script.rnn", "--grid", "s=1..5", "--grid", "n=8,16", "--out", "sweep"], in: dir)
    #expect(other.status == 64 && other.output.contains("already holds a different sweep (it has 8 runs, this one 10)"))
    let engine = try SweepSupport.psychrnn(["sweep", "script.rnn", "--grid", "s=1", "--out", "x", "--engine", "lcoal"], in: dir)
    #expect(engine.status == 64 && engine.output.contains("unknown engine 'lcoal' (engines: local, slurm); did you mean local?"))
  }

  @Test func failuresAreReportedAndResubmitRunsOnlyThose() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // Runs with x = 2 fail (an unknown name) until the script's input file exists.
    try "if x == 2 { v = load(\"../../../input.npy\") }\nreport y: x * 10\n".write(
      toFile: dir + "/s.rnn", atomically: true, encoding: .utf8)
    let first = try SweepSupport.psychrnn(["sweep", "s.rnn", "--grid", "x=1,2,3", "--out", "d"], in: dir)
    #expect(first.status == 1)
    let status = try SweepSupport.psychrnn(["sweep", "status", "d"], in: dir)
    #expect(status.status == 1)
    #expect(status.output.contains("3 runs: 2 done, 1 failed"))
    #expect(status.output.contains("run 1 failed: script.rnn:1:1: error: cannot load"))
    let started = try String(contentsOfFile: dir + "/d/runs/00000/run.json", encoding: .utf8)
    _ = try Python.run("import numpy as np, sys; np.save(sys.argv[1] + '/input.npy', np.zeros(3))", arguments: [dir])
    let again = try SweepSupport.psychrnn(["sweep", "resubmit", "d"], in: dir)
    #expect(again.status == 0, "\(again.output)")
    #expect(again.output.contains("ran 1 run on 1 worker"))
    // Run 0 was left alone; run 1 is on its second attempt.
    #expect(try String(contentsOfFile: dir + "/d/runs/00000/run.json", encoding: .utf8) == started)
    #expect(try String(contentsOfFile: dir + "/d/runs/00001/run.json", encoding: .utf8).contains("\"attempt\" : 2"))
    _ = try SweepSupport.psychrnn(["sweep", "collect", "d"], in: dir)
    #expect(try SweepSupport.table(dir + "/d").map { $0["y"] } == ["10", "20", "30"])
  }

  @Test func aSIGTERMStopsTrainingSavesACheckpointAndResubmitContinues() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
    seed 1
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 32)
    if sweep_resume == none { net = Basic(task, N_rec: 16) } else { net = Basic(task, load_weights_path: sweep_resume) }
    if sweep_resume != none { print "continuing from " + sweep_resume }
    r = train net task training_iters: iters verbosity: false
    report trials: r.trials resumed: sweep_resume != none

    """.write(toFile: dir + "/s.rnn", atomically: true, encoding: .utf8)
    let plan = try SweepSupport.psychrnn(["sweep", "s.rnn", "--grid", "iters=100000000", "--out", "d", "--plan-only"], in: dir)
    #expect(plan.status == 0, "\(plan.output)")
    let binary = try ChildProcess.binary()
    let child = try ChildProcess(shell: "exec '\(binary)' sweep run d --index 0", directory: dir)
    let output = dir + "/d/runs/00000/output.txt"
    // Training has begun once a second has passed with the run folder in place.
    _ = child.waitUntil(timeout: 10) { FileManager.default.fileExists(atPath: output) }
    usleep(800_000)
    child.send(SIGTERM)
    let r = child.finish(timeout: 30)
    #expect(r.status == 143, "\(r.output)")
    let status = try SweepSupport.psychrnn(["sweep", "status", "d"], in: dir)
    #expect(status.output.contains("1 run: 0 done, 1 stopped"))
    #expect(status.output.contains("the network is saved in checkpoint.npz"))
    #expect(FileManager.default.fileExists(atPath: dir + "/d/runs/00000/checkpoint.npz"))
    // The next attempt gets the checkpoint as sweep_resume (and would train on from it).
    let resumed = try ChildProcess(shell: "exec '\(binary)' sweep resubmit d", directory: dir)
    _ = resumed.waitUntil(timeout: 10) { FileManager.default.fileExists(atPath: dir + "/d/runs/00000/resume.npz") }
    usleep(500_000)
    resumed.send(SIGTERM)
    let second = resumed.finish(timeout: 30)
    #expect(second.status == 143, "\(second.output)")
    #expect(second.output.contains("stopped by a signal (resubmit continues)"))
    let text = try String(contentsOfFile: output, encoding: .utf8)
    #expect(text.hasPrefix("continuing from resume.npz\n"), "\(text)")
    #expect(text.contains("stopped (SIGTERM) after"))
  }

  @Test(.enabled(if: SweepSupport.slurmCanStart, "needs slurm-wlm and munge (scripts/setup.sh) and root"))
  func slurmJobArraysGiveTheSameTable() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let cluster = dir + "/cluster"
    // Ports of our own, so a Slurm already running here is left alone.
    let port = 20000 + Int(getpid() % 20000)
    // MaxArraySize 3, so the sweep's 4 tasks must be split into two arrays (ids 0-2 and 0 + offset 3).
    let ports = ["SLURM_LOCAL_CTLD_PORT": "\(port)", "SLURM_LOCAL_D_PORT": "\(port + 1)", "SLURM_LOCAL_MAX_ARRAY_SIZE": "3"]
    let start = try ChildProcess(
      shell: "exec bash \(ChildProcess.quoted(repository + "/scripts/slurm-local.sh")) start \(ChildProcess.quoted(cluster))",
      directory: dir, environment: ports
    ).finish(timeout: 60)
    defer {
      _ = try? ChildProcess(
        shell: "exec bash \(ChildProcess.quoted(repository + "/scripts/slurm-local.sh")) stop \(ChildProcess.quoted(cluster))",
        directory: dir
      ).finish(timeout: 60)
    }
    try #require(start.status == 0, "the private Slurm did not start: \(start.output)")
    let slurm = ["SLURM_CONF": cluster + "/slurm.conf"]
    try (try SweepSupport.script).write(toFile: dir + "/script.rnn", atomically: true, encoding: .utf8)
    let run = try SweepSupport.psychrnn(
      [
        "sweep", "script.rnn", "--grid", "s=1..4", "--grid", "n=8,16", "--out", "sweep", "--engine", "slurm", "--wait",
        "--runs-per-task", "2", "--max-concurrent", "2", "--sbatch", "--time=00:05:00",
      ], in: dir, environment: slurm, timeout: 300)
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.contains("submitted 8 runs as 4 tasks in 2 arrays"), "\(run.output)")
    #expect(try String(contentsOfFile: dir + "/sweep/slurm/jobs.txt", encoding: .utf8).split(separator: "\n").count == 2)
    #expect(run.output.contains("8 runs: 8 done"))
    let logs = try FileManager.default.contentsOfDirectory(atPath: dir + "/sweep/logs").sorted()
    #expect(logs.count == 4 && logs.allSatisfy { $0.hasSuffix(".out") && $0.contains("_") })
    let status = try SweepSupport.psychrnn(["sweep", "status", "sweep"], in: dir, environment: slurm)
    #expect(status.status == 0 && status.output.contains("8 runs: 8 done"))
    #expect(status.output.contains("squeue: no tasks of this sweep are queued or running"))
    _ = try SweepSupport.psychrnn(["sweep", "collect", "sweep"], in: dir)
    let rows = try SweepSupport.checkTable(dir + "/sweep", in: dir)
    // The local pool gives the same table, every metric bit for bit.
    let local = try SweepSupport.psychrnn(
      ["sweep", "script.rnn", "--grid", "s=1..4", "--grid", "n=8,16", "--out", "local"], in: dir)
    #expect(local.status == 0, "\(local.output)")
    _ = try SweepSupport.psychrnn(["sweep", "collect", "local"], in: dir)
    let localRows = try SweepSupport.table(dir + "/local")
    for key in ["index", "s", "n", "accuracy", "loss", "name", "state"] {
      #expect(rows.map { $0[key] } == localRows.map { $0[key] }, "column \(key)")
    }

    // A time limit: Slurm's SIGTERM (sent here with scancel, as slurmctld does at --time) stops
    // training after a batch; the task ends, the run is STOPPED with its checkpoint, and
    // `resubmit` (the same engine) runs it again from the checkpoint to DONE.
    try """
    seed 1
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 32)
    if sweep_resume == none { net = Basic(task, N_rec: 16); iters = 100000000 } else { net = Basic(task, load_weights_path: sweep_resume); iters = 640 }
    r = train net task training_iters: iters verbosity: false
    report trials: r.trials resumed: sweep_resume != none

    """.write(toFile: dir + "/long.rnn", atomically: true, encoding: .utf8)
    let long = try SweepSupport.psychrnn(
      ["sweep", "long.rnn", "--grid", "k=1,2", "--out", "long", "--engine", "slurm"], in: dir, environment: slurm)
    #expect(long.status == 0, "\(long.output)")
    // While its tasks are queued, the sweep is not submitted a second time.
    let twice = try SweepSupport.psychrnn(["sweep", "resubmit", "long"], in: dir, environment: slurm)
    #expect(twice.status == 69 && twice.output.contains("of this sweep still queued or running"), "\(twice.output)")
    let job = try String(contentsOfFile: dir + "/long/slurm/jobs.txt", encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let startedBoth = ChildProcess.waitUntilTrue(timeout: 60) {
      (0..<2).allSatisfy { FileManager.default.fileExists(atPath: dir + "/long/runs/0000\($0)/output.txt") }
    }
    #expect(startedBoth)
    usleep(1_000_000)
    let cancel = try ChildProcess(
      shell: "exec scancel --signal=TERM --full \(job)", directory: dir, environment: slurm
    ).finish(timeout: 30)
    #expect(cancel.status == 0, "\(cancel.output)")
    let ended = ChildProcess.waitUntilTrue(timeout: 60) {
      (0..<2).allSatisfy { FileManager.default.fileExists(atPath: dir + "/long/runs/0000\($0)/STOPPED") }
    }
    #expect(ended)
    let stopped = try SweepSupport.psychrnn(["sweep", "status", "long"], in: dir, environment: slurm)
    #expect(stopped.output.contains("2 runs: 0 done, 2 stopped"), "\(stopped.output)")
    // Wait for the tasks to leave the queue, then resubmit with the saved settings, and wait.
    _ = ChildProcess.waitUntilTrue(timeout: 60) {
      (try? SweepSupport.psychrnn(["sweep", "status", "long"], in: dir, environment: slurm).output.contains("no tasks")) == true
    }
    let again = try SweepSupport.psychrnn(
      ["sweep", "resubmit", "long", "--engine", "slurm", "--wait"], in: dir, environment: slurm, timeout: 120)
    #expect(again.status == 0, "\(again.output)")
    #expect(again.output.contains("2 runs: 2 done"))
    _ = try SweepSupport.psychrnn(["sweep", "collect", "long"], in: dir)
    let resumed = try SweepSupport.table(dir + "/long")
    #expect(resumed.map { $0["resumed"] } == ["1", "1"] && resumed.map { $0["trials"] } == ["640", "640"])
  }
}

extension ChildProcess {
  /// Waits for `condition` (checked every 100 ms) up to `timeout` seconds.
  static func waitUntilTrue(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition() { return true }
      usleep(100_000)
    }
    return condition()
  }
}
