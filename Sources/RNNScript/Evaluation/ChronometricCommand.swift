// `rt = chronometric [NET] TASK [trials: 4000] [by: "coherence"] [threshold: 0.2]`: reaction times
// per stimulus strength. A trial's reaction time is the first time t = k·dt (step k, from the
// trial's start) at which its chosen output (PsychRNN's masked-choice rule) exceeds the other by at
// least `threshold`; a trial where that never happens has none (NaN, and is not counted). Levels
// are the `by:` parameter's magnitudes; each gets the mean and the standard error of the mean of
// its reaction times (all trials, correct or not; `correct` marks which were).

import Linear
import PsychRNN

enum ChronometricCommand {
  static let options = ["trials", "by", "threshold"]

  static func run(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(options)
    let threshold = try o.number("threshold") ?? 0.2
    guard threshold.isFinite && threshold >= 0 else {
      throw o.error("threshold", "must be a number ≥ 0, got \(Format.number(threshold))")
    }
    let trials = try ChoiceTrials(&ctx, o, minimum: 1)
    let key = trials.key
    let levels = trials.levels.map(abs)
    let correct = zip(trials.chosen, trials.correct).map { $0 == $1 ? 1.0 : 0.0 }
    let rts = trials.reactionTimes(threshold: threshold)
    let distinct = Array(Set(levels)).sorted()
    guard distinct.count <= 50 else {
      throw o.error("by", "'\(key)' takes \(distinct.count) values: too many levels for a chronometric curve (at most 50)")
    }
    var means: [Double] = [], sems: [Double] = [], counts: [Double] = []
    for v in distinct {
      let times = levels.indices.filter { levels[$0] == v && !rts[$0].isNaN }.map { rts[$0] }
      let n = Double(times.count)
      let mean = times.isEmpty ? .nan : times.reduce(0, +) / n
      let sd = times.count < 2 ? .nan : (times.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
      means.append(mean); sems.append(sd / n.squareRoot()); counts.append(n)
    }
    return .record(
      Record(
        kind: "chronometric",
        fields: [
          ("levels", .array(ArrayValue(vector: distinct))), ("rt_mean", .array(ArrayValue(vector: means))),
          ("rt_sem", .array(ArrayValue(vector: sems))), ("n", .array(ArrayValue(vector: counts))),
          ("rts", .array(ArrayValue(vector: rts))), ("level", .array(ArrayValue(vector: levels))),
          ("correct", .array(ArrayValue(vector: correct))), ("threshold", .number(threshold)), ("by", .string(key)),
        ]))
  }

  /// `plot rt`: mean reaction time per level, with ± one standard error.
  static func plot(_ r: Record, name: String) throws -> Plot {
    guard case .array(let levels)? = r["levels"], case .array(let mean)? = r["rt_mean"], case .array(let sem)? = r["rt_sem"]
    else {
      throw RuntimeError("\(name) is not a chronometric record")
    }
    let by = r["by"].map(Printer.plain) ?? "level"
    let low = zip(mean.values, sem.values).map { $0 - $1 }, high = zip(mean.values, sem.values).map { $0 + $1 }
    return .lines(
      title: "\(name): reaction time (first time the choice leads by \(r["threshold"].map(Printer.plain) ?? "?"))",
      xLabel: by, yLabel: "time",
      series: [
        PlotSeries(name: "mean", x: levels.values, y: mean.values),
        PlotSeries(name: "± s.e.m.", x: levels.values + levels.values, y: low + high, points: true),
      ], logScale: false)
  }
}
