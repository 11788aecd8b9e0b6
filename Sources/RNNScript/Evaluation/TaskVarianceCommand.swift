// `tv = task_variance [NET] TASK|[TASK, …] [trials: 512] [activity: "rates"] [clusters: 10]`: each
// unit's task variance (Yang et al. 2019; PsychRNN/Analysis/TaskVariance.swift) per task, normalised
// over the tasks, and, with two tasks or more, the units clustered on their normalised variances
// (k-means, k by silhouette, seeded from the session's noise stream):
//
//   tasks (names), variance and normalized (units × tasks), active (units: 1 where the summed
//   variance is at least 1e-3 of the largest unit's), cluster (units; −1 for inactive units),
//   k, silhouette, order (units by cluster, then by the task they vary most in).
//
// Activity is the rates φ(states) with the network's transfer function (`activity: "states"` for
// the states themselves, e.g. an LSTM's h). Each task's trials are drawn from the trial stream,
// whole batches until there are `trials:`.

import Linear
import PsychRNN

enum TaskVarianceCommand {
  static let options = ["trials", "activity", "clusters"]

  static func run(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(options)
    let name = try ctx.network()
    let net = ctx.networkValue(name)
    let (v, a) = try ctx.value("a task or a list of tasks")
    try ctx.finish()
    var tasks: [(name: String, task: any Task)] = []
    switch v {
    case .task(let t): tasks = [(a.word ?? t.task.name, t.task)]
    case .list(let items):
      for (i, item) in items.enumerated() {
        guard case .task(let t) = item else {
          throw RuntimeError("item \(i) of the list is a \(item.typeName), not a task", at: a.location, length: a.length)
        }
        tasks.append((t.task.name, t.task))
      }
    default: throw RuntimeError("expected a task or a list of tasks, got a \(v.typeName)", at: a.location, length: a.length)
    }
    guard !tasks.isEmpty else { throw RuntimeError("the list of tasks is empty", at: a.location, length: a.length) }
    // Same-named tasks (two PerceptualDiscriminations) are told apart by their position.
    for i in tasks.indices where tasks.filter({ $0.name == tasks[i].name }).count > 1 { tasks[i].name += " \(i)" }
    let wanted = try o.integer("trials") ?? 512
    guard (2...100_000).contains(wanted) else { throw o.error("trials", "must be between 2 and 100000, got \(wanted)") }
    let activity = try o.string("activity") ?? "rates"
    guard ["rates", "states"].contains(activity) else {
      throw o.error("activity", "is \"rates\" or \"states\", not \"\(activity)\"")
    }
    let maxK = try o.integer("clusters") ?? 10
    guard (2...50).contains(maxK) else { throw o.error("clusters", "the largest k to try must be between 2 and 50, got \(maxK)") }
    let c = net.configuration, units = c.nRec
    let phi = c.transferFunction

    var tv = Matrix<Double>(rows: units, cols: tasks.count)
    for (j, t) in tasks.enumerated() {
      guard t.task.timing.nIn == c.nIn else {
        throw RuntimeError(
          "\(t.name) has N_in \(t.task.timing.nIn) but the network has \(c.nIn)", at: a.location, length: a.length)
      }
      var collected: [Tensor3<Double>] = []
      var count = 0, number = 1
      while count < wanted {
        let b = try batchOf(t.task, number: number, using: &ctx.session.random.trials)
        number += 1
        guard b.trialCount > 0 else { break }
        var states = try AnalysisCommands.run(net, b.x, session: ctx.session, at: ctx.location).states
        if activity == "rates" { states = Tensor3(states.d0, states.d1, states.d2, storage: states.storage.map { phi($0) }) }
        collected.append(states)
        count += b.trialCount
      }
      guard let first = collected.first else { throw RuntimeError("\(t.name) gave no trials", at: a.location, length: a.length) }
      let all = Tensor3<Double>(count, first.d1, units, storage: collected.flatMap(\.storage))
      let column = TaskVariance.variance(of: all)
      for i in 0..<units { tv[i, j] = column[i] }
    }
    let normalized = TaskVariance.normalized(tv)
    let totals = (0..<units).map { tv.row($0).reduce(0, +) }
    let top = totals.max() ?? 0
    let active = totals.map { top > 0 && $0 >= 1e-3 * top }
    var cluster = [Double](repeating: -1, count: units)
    var k = 0.0, silhouette = Double.nan
    let activeUnits = (0..<units).filter { active[$0] }
    if tasks.count >= 2 && activeUnits.count >= 3 {
      let points = Matrix(rows: activeUnits.count, cols: tasks.count) { i, j in normalized[activeUnits[i], j] }
      let clustering: UnitClustering
      do { clustering = try UnitClustering(points: points, maxK: maxK, using: &ctx.session.random.noise) } catch let e
        as ConfigurationError
      {
        throw o.error(e)
      }
      for (i, u) in activeUnits.enumerated() { cluster[u] = Double(clustering.labels[i]) }
      k = Double(clustering.k)
      silhouette = clustering.silhouette
    }
    // Units by cluster (inactive last), then by the task they vary most in, then by index.
    func peak(_ u: Int) -> Int { (0..<tasks.count).max { normalized[u, $0] < normalized[u, $1] } ?? 0 }
    let order = (0..<units).sorted { x, y in
      let cx = cluster[x] < 0 ? Double.infinity : cluster[x], cy = cluster[y] < 0 ? Double.infinity : cluster[y]
      return (cx, peak(x), x) < (cy, peak(y), y)
    }
    return .record(
      Record(
        kind: "task variance",
        fields: [
          ("tasks", .list(tasks.map { .string($0.name) })),
          ("variance", .array(ArrayValue(tv))),
          ("normalized", .array(ArrayValue(normalized))),
          ("active", .array(ArrayValue(vector: active.map { $0 ? 1 : 0 }))),
          ("cluster", .array(ArrayValue(vector: cluster))),
          ("k", .number(k)),
          ("silhouette", .number(silhouette)),
          ("order", .array(ArrayValue(vector: order.map(Double.init)))),
        ]))
  }

  /// `plot tv`: one task, the units' variances sorted; several, the normalised variances as a
  /// units × tasks heatmap, units in `order` with each cluster's first row marked.
  static func plot(_ r: Record, name: String) throws -> Plot {
    guard case .array(let tv)? = r["variance"], case .array(let norm)? = r["normalized"], case .array(let order)? = r["order"],
      case .array(let cluster)? = r["cluster"], case .list(let names)? = r["tasks"]
    else { throw RuntimeError("\(name) is not a task-variance record") }
    let (units, tasks) = (tv.shape[0], tv.shape[1])
    if tasks == 1 {
      let sorted = tv.values.sorted(by: >)
      return .lines(
        title: "\(name): task variance of each unit on \(Printer.plain(names[0])), sorted", xLabel: "units, most variable first",
        yLabel: "task variance", series: [PlotSeries(name: "", x: sorted.indices.map(Double.init), y: sorted, points: true)],
        logScale: false)
    }
    let rows = order.values.map(Int.init)
    var values: [Double] = []
    for u in rows { for j in 0..<tasks { values.append(norm.values[u * tasks + j]) } }
    var marks: [(row: Int, label: String)] = []
    for (i, u) in rows.enumerated() where i == 0 || cluster.values[u] != cluster.values[rows[i - 1]] {
      marks.append((i, cluster.values[u] < 0 ? "inactive" : "cluster \(Int(cluster.values[u]))"))
    }
    let k = r["k"].map(Printer.plain) ?? "?"
    return .stack([
      .heatmap(
        title: "\(name): normalised task variance, units by cluster (k \(k))", rowLabel: "unit", colLabel: "task", rows: units,
        cols: tasks, values: values, diverging: false, rowMarks: marks, range: 0...1),
      .note("tasks: " + names.enumerated().map { "\($0.offset) \(Printer.plain($0.element))" }.joined(separator: ", ")),
    ])
  }
}
