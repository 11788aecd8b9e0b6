// The sweep's folder: a manifest written once and compared, run folders whose files give the
// state, and the table collected from them (results.npz read back by numpy as the oracle).

import Foundation
import NumpyFormat
import Testing
import TestSupport
@testable import Sweep

@Suite struct DirectoryTests {
  func manifest(_ points: [[BoundValue]], script: String = "report x: s\n") -> Manifest {
    Manifest(scriptName: "s.rnn", script: script, plan: SweepPlan(names: ["s", "opt"], points: points), plannedAs: "grid")
  }

  @Test func aDifferentManifestIsRefusedAndTheSameOneKept() throws {
    let path = try makeTemporaryDirectory("psychrnn-sweep")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let dir = SweepDirectory(path)
    let m = manifest([[.number(1), .string("adam")], [.number(2), .string("sgd")]])
    #expect(try dir.create(m) == false)
    #expect(try dir.create(m) == true)
    #expect(try dir.manifest() == m)
    #expect(try String(contentsOfFile: dir.scriptPath, encoding: .utf8) == "report x: s\n")
    #expect(throws: SweepError.differentManifest(directory: path, difference: "the script's text differs")) {
      try dir.create(manifest(m.points, script: "report y: s\n"))
    }
    #expect(throws: SweepError.differentManifest(directory: path, difference: "run 1 binds other values")) {
      try dir.create(manifest([[.number(1), .string("adam")], [.number(3), .string("sgd")]]))
    }
    #expect(throws: SweepError.noManifest(directory: path + "/missing")) { try SweepDirectory(path + "/missing").manifest() }
  }

  @Test func statesComeFromTheFilesAndTheTableHoldsEveryRun() throws {
    let path = try makeTemporaryDirectory("psychrnn-sweep")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let dir = SweepDirectory(path)
    let m = manifest((0..<5).map { [.number(Double($0)), .string($0 % 2 == 0 ? "adam" : "sgd")] })
    try dir.create(m)
    #expect(try SweepStatus.read(dir).count(.pending) == 5)
    // 0 and 1 done (1 reports one metric more), 2 failed, 3 stopped, 4 pending.
    for i in 0..<4 {
      let run = dir.run(i, of: 5)
      let start = try run.begin(values: try m.values(of: i))
      #expect(run.state() == .running)
      var metrics = [NamedValue(name: "acc", value: .number(0.1 * Double(i) + 1e-17))]
      if i == 1 { metrics.append(NamedValue(name: "note", value: .string("a,\"b\""))) }
      let ending: RunEnding? = i < 2 ? nil : RunEnding(status: i == 2 ? 70 : 143, reason: "why \(i)", checkpoint: nil)
      try run.finish(metrics: metrics, start: start, ending: ending, stopped: i == 3)
    }
    let status = try SweepStatus.read(dir)
    #expect(status.indices[.done] == [0, 1] && status.indices[.failed] == [2] && status.indices[.stopped] == [3])
    #expect(status.indices[.pending] == [4])
    #expect(status.needingRun == [2, 3, 4])
    #expect(status.problems.map(\.reason) == ["why 2", "why 3"])
    #expect(status.text().contains("5 runs: 2 done, 1 pending, 1 failed, 1 stopped"))

    let table = try ResultsTable.collect(dir)
    #expect(table.columns.map(\.name) == ["index", "s", "opt", "acc", "note", "wall_time", "state"])
    #expect(table["state"] == .text(["done", "done", "failed", "stopped", "pending"]))
    #expect(table["note"] == .text(["", "a,\"b\"", "", "", ""]))
    guard case .numbers(let acc)? = table["acc"] else { Issue.record("acc is not numeric"); return }
    #expect(acc[0..<4] == [1e-17, 0.1 + 1e-17, 0.2 + 1e-17, 0.30000000000000004 + 1e-17][...])
    #expect(acc[4].isNaN)
    try table.write(to: dir)
    // numpy reads both files back: the CSV with the csv module, the npz with np.load.
    let python = try Python.run(
      """
      import csv, json, sys
      import numpy as np
      d = np.load(sys.argv[1] + "/results.npz")
      rows = list(csv.DictReader(open(sys.argv[1] + "/results.csv")))
      print(json.dumps({"keys": list(d.keys()), "acc": [float(x) for x in d["acc"][:4]], "state": [str(x) for x in d["state"]],
        "opt": [str(x) for x in d["opt"]], "csv_acc": [float(r["acc"]) for r in rows[:4]], "note": rows[1]["note"],
        "dtype": str(d["state"].dtype), "s": d["s"].tolist()}))
      """, arguments: [path])
    struct Read: Decodable {
      let keys: [String]; let acc: [Double]; let state: [String]; let opt: [String]; let csv_acc: [Double]; let note: String
      let dtype: String; let s: [Double]
    }
    let r = try JSONDecoder().decode(Read.self, from: Data(python.utf8))
    #expect(r.keys == table.columns.map(\.name))
    #expect(r.acc == Array(acc[0..<4]) && r.csv_acc == Array(acc[0..<4]))
    #expect(r.state == ["done", "done", "failed", "stopped", "pending"] && r.dtype == "<U7")
    #expect(r.opt == ["adam", "sgd", "adam", "sgd", "adam"])
    #expect(r.note == "a,\"b\"" && r.s == [0, 1, 2, 3, 4])
  }

  /// A run started on another host (a cluster node) that never ended is running while the queue
  /// may hold it, and lost once the engine's queue holds none of the sweep's tasks; a run started
  /// here by a process that is gone is lost at once.
  @Test func runsThatNeverEndedAreLost() throws {
    let path = try makeTemporaryDirectory("psychrnn-sweep")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let dir = SweepDirectory(path)
    let m = manifest([[.number(1), .string("a")], [.number(2), .string("b")]])
    try dir.create(m)
    let elsewhere = dir.run(0, of: 2)
    _ = try elsewhere.begin(values: try m.values(of: 0))
    try Data(#"{"values": [], "attempt": 1, "host": "node-elsewhere", "pid": 1, "started": 0}"#.utf8).write(
      to: URL(fileURLWithPath: elsewhere.runPath))
    let here = dir.run(1, of: 2)
    _ = try here.begin(values: try m.values(of: 1))
    // pid 2^22 + 1 is above Linux's pid_max limit, so no process has it.
    try Data(#"{"values": [], "attempt": 1, "host": "\#(RunFolder.hostName)", "pid": 4194305, "started": 0}"#.utf8).write(
      to: URL(fileURLWithPath: here.runPath))
    #expect(try SweepStatus.read(dir).indices == [.running: [0], .lost: [1]])
    let none = try SweepStatus.read(dir, nothingQueued: true)
    #expect(none.indices == [.lost: [0, 1]])
    #expect(none.needingRun == [0, 1])
    #expect(none.problems.first?.reason.contains("no task of the sweep is queued") == true)
  }
}
