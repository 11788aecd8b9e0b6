// `choices [NET] TASK [trials: K]` and `reaction_times [NET] TASK [trials: K] [threshold: 0.2]`:
// per-trial arrays (the issue's `rt`, named in full: `rt` is the usual name of a chronometric record), for analyses of one's own. A trial's choice is PsychRNN's masked-choice rule (the output
// with the largest time-mean of output ⊙ mask, ChoiceTrials.swift); its reaction time the first
// t = k·dt at which the chosen output leads the other by `threshold` (NaN where it never does), the
// rule `chronometric` averages. K defaults to one batch of the task.

import Linear
import PsychRNN

enum ChoiceArraysCommand {
  static let choiceOptions = ["trials"]
  static let rtOptions = ["trials", "threshold"]

  static func choices(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(choiceOptions)
    let trials = try ChoiceTrials(&ctx, o, minimum: 1, defaultCount: 1, levels: false)
    return .array(ArrayValue(vector: trials.chosen.map(Double.init)))
  }

  static func rt(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(rtOptions)
    let threshold = try o.number("threshold") ?? 0.2
    guard threshold.isFinite && threshold >= 0 else {
      throw o.error("threshold", "must be a number ≥ 0, got \(Format.number(threshold))")
    }
    let trials = try ChoiceTrials(&ctx, o, minimum: 1, defaultCount: 1, levels: false)
    return .array(ArrayValue(vector: trials.reactionTimes(threshold: threshold)))
  }
}
