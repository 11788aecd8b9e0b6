// load_sweep, group_by and plot_sweep on a sweep folder built here (12 runs: lr × seed, one run
// failed), checked against numpy's mean and std (ddof 0) of the same numbers.

import Foundation
import Testing
import TestSupport
import Sweep
@testable import RNNScript

@Suite struct SweepTableTests {
  /// A sweep of lr ∈ {0.001, 0.01, 0.1} × seed 1…4 whose runs reported acc (and a text tag);
  /// run 5 failed without reporting.
  func makeSweep() throws -> (path: String, acc: [Double]) {
    let path = try makeTemporaryDirectory("psychrnn-sweep-table")
    let plan = try SweepPlan.make([try GridAxis.parse("lr=0.001,0.01,0.1"), try GridAxis.parse("seed=1..4")], mode: .grid)
    let manifest = Manifest(scriptName: "s.rnn", script: "report acc: 1\n", plan: plan, plannedAs: "grid")
    let dir = SweepDirectory(path)
    try dir.create(manifest)
    var acc: [Double] = []
    for i in 0..<12 {
      let run = dir.run(i, of: 12)
      let start = try run.begin(values: try manifest.values(of: i))
      let value = 0.5 + 0.37 * sin(Double(i) * 1.7)
      acc.append(i == 5 ? .nan : value)
      if i == 5 {
        try run.finish(metrics: [], start: start, ending: RunEnding(status: 70, reason: "x", checkpoint: nil), stopped: false)
      } else {
        try run.finish(
          metrics: [
            NamedValue(name: "acc", value: .number(value)), NamedValue(name: "opt", value: .string(i % 2 == 0 ? "adam" : "sgd")),
          ],
          start: start, ending: nil, stopped: false)
      }
    }
    return (path, acc)
  }

  @Test func theTableIsARecordOfColumns() throws {
    let (path, acc) = try makeSweep()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let session = Session()
    try runScript("t = load_sweep(\"\(path)\")", in: session)
    guard case .record(let t)? = session.variables["t"] else { Issue.record("no table"); return }
    #expect(t.fields.map(\.name) == ["index", "lr", "seed", "acc", "opt", "wall_time", "state"])
    guard case .array(let a)? = t["acc"], case .list(let state)? = t["state"], case .array(let lr)? = t["lr"] else {
      Issue.record("columns of the wrong kinds")
      return
    }
    #expect(a.values.enumerated().allSatisfy { i, v in i == 5 ? v.isNaN : v == acc[i] })
    #expect(lr.values == [0.001, 0.001, 0.001, 0.001, 0.01, 0.01, 0.01, 0.01, 0.1, 0.1, 0.1, 0.1])
    #expect(state.map(Printer.plain) == (0..<12).map { $0 == 5 ? "failed" : "done" })
    // Bad input: a folder with no sweep, a column that is not there.
    #expect(throws: RuntimeError.self) { try runScript("load_sweep(\"\(path)/nothing\")") }
    do {
      try runScript("group_by(t, \"lrr\", \"acc\")", in: session)
      Issue.record("an unknown column was accepted")
    } catch let e as RuntimeError {
      #expect(e.message.contains("the table has no column 'lrr'") && e.suggestion?.contains("lr") == true)
    }
    #expect(throws: RuntimeError.self) { try runScript("group_by(t, \"lr\", \"opt\")", in: session) }
  }

  @Test func groupByMatchesNumpy() throws {
    let (path, acc) = try makeSweep()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let session = Session()
    try runScript(
      "t = load_sweep(\"\(path)\")\ng = group_by(t, \"lr\", \"acc\")\nh = group_by(t, [\"opt\", \"lr\"], \"acc\")", in: session)
    let json = try Python.run(
      """
      import json, sys
      import numpy as np
      acc = np.array(json.loads(sys.argv[1]))
      lr = np.repeat([0.001, 0.01, 0.1], 4)
      # the failed run reported nothing: its opt cell is empty, its group has no values (nan, 0 runs)
      opt = np.array(["" if i == 5 else "adam" if i % 2 == 0 else "sgd" for i in range(12)])
      ok = np.isfinite(acc)
      by_lr = [[float(np.mean(acc[(lr == v) & ok])), float(np.std(acc[(lr == v) & ok])), int(np.sum((lr == v) & ok))] for v in [0.001, 0.01, 0.1]]
      pairs = sorted({(o, l) for o, l in zip(opt, lr)})
      def stats(m):
          return [float(np.mean(acc[m])), float(np.std(acc[m]))] if m.any() else ["nan", "nan"]
      by_pair = [stats((opt == o) & (lr == l) & ok) for o, l in pairs]
      print(json.dumps({"lr": by_lr, "pairs": [[o, float(l)] for o, l in pairs], "pair": by_pair}))
      """, arguments: ["[" + acc.map { $0.isNaN ? "NaN" : "\($0)" }.joined(separator: ",") + "]"])
    struct Oracle: Decodable {
      let lr: [[Double]]
      let pairs: [[Pair]]
      let pair: [[Pair]]
      enum Pair: Decodable {
        case text(String)
        case number(Double)
        init(from d: Decoder) throws {
          let c = try d.singleValueContainer()
          if let s = try? c.decode(String.self) { self = .text(s) } else { self = .number(try c.decode(Double.self)) }
        }
      }
    }
    let o = try JSONDecoder().decode(Oracle.self, from: Data(json.utf8))
    guard case .record(let g)? = session.variables["g"], case .array(let mean)? = g["acc_mean"],
      case .array(let std)? = g["acc_std"],
      case .array(let n)? = g["n_runs"], case .array(let keys)? = g["lr"]
    else { Issue.record("group_by gave no groups"); return }
    #expect(keys.values == [0.001, 0.01, 0.1])
    for k in 0..<3 {
      #expect(abs(mean.values[k] - o.lr[k][0]) <= 1e-15)
      #expect(abs(std.values[k] - o.lr[k][1]) <= 1e-15)
      #expect(n.values[k] == o.lr[k][2])
    }
    guard case .record(let h)? = session.variables["h"], case .list(let opts)? = h["opt"], case .array(let hm)? = h["acc_mean"],
      case .array(let hs)? = h["acc_std"]
    else { Issue.record("group_by by two columns gave no groups"); return }
    #expect(opts.map(Printer.plain) == o.pairs.map { if case .text(let s) = $0[0] { s } else { "" } })
    func close(_ a: Double, _ b: Oracle.Pair) -> Bool {
      if case .number(let d) = b { return abs(a - d) <= 1e-15 }
      return a.isNaN
    }
    #expect(hm.values.count == 7 && o.pair.count == 7)
    #expect(zip(hm.values, o.pair).allSatisfy { close($0, $1[0]) })
    #expect(zip(hs.values, o.pair).allSatisfy { close($0, $1[1]) })
  }

  @Test func plotSweepDrawsOneLineOfMeansPerValue() throws {
    let (path, acc) = try makeSweep()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let shown = try runScript("t = load_sweep(\"\(path)\")\nplot_sweep(t, \"acc\", x: \"seed\", by: \"lr\")")
    guard case .plot(.lines(_, let xLabel, let yLabel, let series, _, _))? = shown.first else {
      Issue.record("no line plot: \(shown)")
      return
    }
    #expect(xLabel == "seed" && yLabel == "acc")
    #expect(series.map(\.name) == ["lr = 0.001", "lr = 0.01", "lr = 0.1"])
    #expect(series.allSatisfy { $0.x == [1, 2, 3, 4] })
    // One run per point: the means are the runs' values (run 5, lr 0.01 seed 2, failed: nan).
    for (k, s) in series.enumerated() {
      for j in 0..<4 {
        let expected = acc[k * 4 + j]
        #expect(expected.isNaN ? s.y[j].isNaN : s.y[j] == expected)
      }
    }
  }
}
