// `p = pca X n: 3` and `p = pca net task n: 3`: principal components of state trajectories
// (PsychRNN/Analysis/PCA.swift), as a record that `show`, `plot` and `save` understand:
//
//   mean (units), components (n × units), explained_variance and explained_variance_ratio (n),
//   projections (trials × steps × n, or samples × n for a 2-d X), and, for the network form, the
//   trials' params (so `plot p by: "coherence"` colours trajectories by condition).

import Linear
import PsychRNN

enum PCACommand {
  static let options = ["n"]

  static func run(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(options)
    let n = try o.integer("n") ?? 3
    var params: Record? = nil
    let states: ArrayValue
    if let w = ctx.peekWord, case .network? = ctx.session.variables[w] {
      let name = try ctx.network()
      let t = try ctx.task()
      try ctx.finish()
      let b = try batchOf(t.task, number: 1, using: &ctx.session.random.trials)
      let r = try AnalysisCommands.run(ctx.networkValue(name), b.x, session: ctx.session, at: ctx.location)
      states = ArrayValue(r.states)
      params = AnalysisCommands.parameterRecord(b)
    } else {
      let (v, a) = try ctx.value("states (trials × steps × units), or a network and a task")
      try ctx.finish()
      guard let x = try v.asArray(at: a.location), x.shape.count == 2 || x.shape.count == 3 else {
        throw RuntimeError(
          "pca needs states of shape (trials, steps, units) or (samples, units), e.g. r.states", at: a.location, length: a.length)
      }
      states = x
    }
    let units = states.shape.last!
    let samples = states.values.count / max(units, 1)
    let x = Matrix(rows: samples, cols: units, storage: states.values)
    let p: PCA
    do { p = try PCA(samples: x, components: n) } catch let e as ConfigurationError {
      throw e.key == "n" ? o.error(e) : RuntimeError(e.problem, at: ctx.location, length: ctx.name.count)
    }
    let projected = p.project(x)
    var shape = states.shape
    shape[shape.count - 1] = n
    var fields: [(name: String, value: Value)] = [
      ("mean", .array(ArrayValue(vector: p.mean))),
      ("components", .array(ArrayValue(p.components))),
      ("explained_variance", .array(ArrayValue(vector: p.explainedVariance))),
      ("explained_variance_ratio", .array(ArrayValue(vector: p.explainedVarianceRatio))),
      ("projections", .array(ArrayValue(shape: shape, values: projected.storage))),
    ]
    if let params { fields.append(("params", .record(params))) }
    return .record(Record(kind: "pca", fields: fields))
  }

  /// `show p`: the variance each component explains.
  static func report(_ r: Record) -> String {
    guard case .array(let ratio)? = r["explained_variance_ratio"] else { return "" }
    var lines = ["principal components: \(ratio.values.count)", "  PC   variance explained   cumulative"]
    var total = 0.0
    for (i, v) in ratio.values.enumerated() {
      total += v
      lines.append(
        "  \(String(i + 1).padding(toLength: 4, withPad: " ", startingAt: 0)) \(Format.fixed(v * 100, digits: 1).leftPadded(18))%   \(Format.fixed(total * 100, digits: 1).leftPadded(9))%"
      )
    }
    return lines.joined(separator: "\n")
  }

  /// `plot p [by: KEY]`: trajectories in the PC1–PC2 plane (and PC1–PC3 when there are three), one
  /// line per trial, or the mean trajectory of each condition with `by:`; starts and ends marked.
  static func plot(_ r: Record, name: String, by key: String?, at location: SourceLocation) throws -> Plot {
    guard case .array(let proj)? = r["projections"] else { throw RuntimeError("\(name) has no projections", at: location) }
    let trajectories: [(label: String, points: [[Double]])]
    let n = proj.shape.last ?? 0
    let steps = proj.shape.count == 3 ? proj.shape[1] : proj.values.count / max(n, 1)
    let trials = proj.shape.count == 3 ? proj.shape[0] : 1
    func point(_ trial: Int, _ step: Int) -> [Double] { (0..<n).map { proj.values[(trial * steps + step) * n + $0] } }
    if let key {
      guard case .record(let params)? = r["params"], case .array(let values)? = params[key] else {
        throw RuntimeError(
          "by: \(key) needs the trials' \(key): make p with pca NET TASK, whose trials have params", at: location)
      }
      let groups = Array(Set(values.values)).sorted()
      guard groups.count <= 12 else {
        throw RuntimeError("\(key) takes \(groups.count) values: too many conditions to tell apart (at most 12)", at: location)
      }
      trajectories = groups.map { g in
        let members = (0..<trials).filter { values.values[$0] == g }
        let mean = (0..<steps).map { s in
          (0..<n).map { c in members.map { point($0, s)[c] }.reduce(0, +) / Double(members.count) }
        }
        return ("\(key) \(Format.number(g))", mean)
      }
    } else {
      guard trials <= 16 else {
        throw RuntimeError(
          "\(trials) trials are too many lines: give by: (a trial parameter) to plot each condition's mean", at: location)
      }
      trajectories = (0..<trials).map { t in ("trial \(t)", (0..<steps).map { point(t, $0) }) }
    }
    func panel(_ c: Int) -> Plot {
      var series = trajectories.map { PlotSeries(name: $0.label, x: $0.points.map { $0[0] }, y: $0.points.map { $0[c] }) }
      series.append(
        PlotSeries(name: "start", x: trajectories.map { $0.points[0][0] }, y: trajectories.map { $0.points[0][c] }, points: true))
      series.append(
        PlotSeries(
          name: "end", x: trajectories.map { $0.points[steps - 1][0] }, y: trajectories.map { $0.points[steps - 1][c] },
          points: true))
      return .lines(title: "\(name): PC1 and PC\(c + 1)", xLabel: "PC1", yLabel: "PC\(c + 1)", series: series, logScale: false)
    }
    guard n >= 2, steps > 0 else { throw RuntimeError("plotting a PCA needs at least 2 components (n: 2)", at: location) }
    return n >= 3 ? .stack([panel(1), panel(2)]) : panel(1)
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
