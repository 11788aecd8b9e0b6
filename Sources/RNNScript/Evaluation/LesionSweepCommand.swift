// `ls = lesion_sweep [NET] TASK [trials: K]`: the accuracy after silencing each unit in turn (its
// outgoing recurrent and readout weights cut, as `ablate unit U`), and, under Dale's law, after
// silencing all excitatory or all inhibitory units, on one batch of the task (every lesion sees the
// same trials). Cuts already in force stay in force. `plot ls` draws the accuracies sorted.

import Linear
import PsychRNN

enum LesionSweepCommand {
  static let options = ["trials"]

  static func run(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(options)
    let name = try ctx.network()
    let t = try ctx.task()
    try ctx.finish()
    let net = ctx.networkValue(name)
    let b = try evaluationBatchOf(t.task, trials: try o.integer("trials"), using: &ctx.session.random.trials)
    func accuracy(cutting units: [Int]) throws -> Double {
      var lesioned = net
      lesioned.ablation.cuts += units.map { TimedCut(.unit($0)) }
      let r = try AnalysisCommands.run(lesioned, b.x, session: ctx.session, at: ctx.location)
      return try t.task.accuracy(targets: b.y, outputs: r.outputs, mask: b.mask)
    }
    let n = net.configuration.nRec
    let intact = try accuracy(cutting: [])
    let each = try (0..<n).map { try accuracy(cutting: [$0]) }
    var fields: [(name: String, value: Value)] = [
      ("units", .array(ArrayValue(vector: (0..<n).map(Double.init)))),
      ("accuracy", .array(ArrayValue(vector: each))),
      ("intact", .number(intact)),
      ("drop", .array(ArrayValue(vector: each.map { intact - $0 }))),
      ("order", .array(ArrayValue(vector: (0..<n).sorted { (each[$0], $0) < (each[$1], $1) }.map(Double.init)))),
    ]
    if let signs = net.model.unitSigns {
      fields.append(("excitatory", .number(try accuracy(cutting: (0..<n).filter { signs[$0] > 0 }))))
      fields.append(("inhibitory", .number(try accuracy(cutting: (0..<n).filter { signs[$0] < 0 }))))
    }
    return .record(Record(kind: "lesion sweep", fields: fields))
  }

  /// `plot ls`: each unit's accuracy when silenced, most harmful first, against the intact level.
  static func plot(_ r: Record, name: String) throws -> Plot {
    guard case .array(let acc)? = r["accuracy"], case .array(let order)? = r["order"], case .number(let intact)? = r["intact"]
    else {
      throw RuntimeError("\(name) is not a lesion sweep")
    }
    let sorted = order.values.map { acc.values[Int($0)] }
    let rank = sorted.indices.map(Double.init)
    let worst = order.values.prefix(5).map { Format.number($0) }.joined(separator: ", ")
    return .stack([
      .lines(
        title: "\(name): accuracy with one unit silenced, sorted", xLabel: "units, most harmful first", yLabel: "accuracy",
        series: [
          PlotSeries(name: "silenced", x: rank, y: sorted, points: true),
          PlotSeries(name: "intact", x: [0, Double(max(1, sorted.count - 1))], y: [intact, intact]),
        ], logScale: false, yRange: 0...1),
      .note("most harmful to silence: units \(worst)"),
    ])
  }
}
