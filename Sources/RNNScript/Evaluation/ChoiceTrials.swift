// The trials the choice analyses (`psychometric`, `chronometric`, `choices`, `rt`) are computed from: `[NET] TASK`
// with `trials:` and `by:`, batches drawn from the trial stream until there are enough, each run
// through the network. Per trial: the `by:` parameter's value, the network's choice and the correct
// one (PsychRNN's masked-choice rule on the outputs and on the targets), and the outputs.

import Linear
import PsychRNN

struct ChoiceTrials {
  /// The `by:` parameter's name.
  var key: String
  var task: any Task
  var levels: [Double] = []
  var chosen: [Int] = []
  var correct: [Int] = []
  /// Each trial's outputs (steps × 2), for measures over time.
  var outputs: [Matrix<Double>] = []

  /// Reads `[NET] TASK`, `trials:` (at least `minimum`, `defaultCount` when not given) and `by:`,
  /// and runs the trials. Without `levels`, trials need no `by:` parameter (`levels` stays empty).
  init(
    _ ctx: inout CommandContext, _ o: KeyedArguments, minimum: Int, defaultCount: Int = 4000, levels needed: Bool = true
  ) throws {
    let name = try ctx.network()
    let t = try ctx.task()
    try ctx.finish()
    let wanted = try o.integer("trials") ?? defaultCount
    guard (minimum...1_000_000).contains(wanted) else {
      throw o.error("trials", "must be between \(minimum) and 1000000, got \(wanted)")
    }
    task = t.task
    key = try o.string("by") ?? t.task.settings.first?.key ?? "coherence"
    var number = 1
    while chosen.count < wanted {
      let b = try batchOf(t.task, number: number, using: &ctx.session.random.trials)
      number += 1
      guard b.trialCount > 0 else { break }
      guard b.y.d2 == 2 else {
        throw ctx.error("\(ctx.name) needs a task with two outputs (a binary choice), \(t.task.name) has \(b.y.d2)")
      }
      let r = try AnalysisCommands.run(ctx.networkValue(name), b.x, session: ctx.session, at: ctx.location)
      chosen += MaskedChoice.choices(r.outputs, mask: b.mask)
      correct += MaskedChoice.choices(b.y, mask: b.mask)
      for i in 0..<b.trialCount {
        outputs.append(Matrix(rows: r.outputs.d1, cols: 2) { s, c in r.outputs[i, s, c] })
        guard needed else { continue }
        guard case .number(let level)? = b.parameters[i].fields.first(where: { $0.key == key })?.value else {
          throw o.error(
            "by",
            "\(t.task.name)'s trials have no number '\(key)' (they have \(b.parameters[i].fields.map(\.key).joined(separator: ", ")))"
          )
        }
        levels.append(level)
      }
    }
  }
}

extension ChoiceTrials {
  /// Each trial's reaction time: the first t = k·dt at which its chosen output exceeds the other by
  /// at least `threshold`; NaN where that never happens.
  func reactionTimes(threshold: Double) -> [Double] {
    let dt = task.timing.dt
    return outputs.indices.map { i -> Double in
      let out = outputs[i], c = chosen[i]
      let step = (0..<out.rows).first { out[$0, c] - out[$0, 1 - c] >= threshold }
      return step.map { Double($0) * dt } ?? .nan
    }
  }
}
