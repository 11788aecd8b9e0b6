// `psy = psychometric [NET] TASK [trials: 4000] [by: "coherence"] [lapses: true]`: what fraction
// of trials choose output 1 at each signed stimulus level, with Wilson 95% intervals, and the
// maximum-likelihood logistic fit with lapses (PsychRNN/Analysis/Psychometric.swift).
//
// A trial's choice is PsychRNN's masked-choice rule (the output with the largest time-mean of
// output ⊙ mask); its signed level is the `by:` parameter's value, negative when the correct choice
// (the same rule on the targets) is output 0. With more than 12 distinct levels (levels drawn at
// random), the points are the means of 10 bins of equal counts; the fit always uses every trial.

import Linear
import PsychRNN

enum PsychometricCommand {
  static let options = ["trials", "by", "lapses"]

  static func run(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(options)
    let lapses = try o.bool("lapses") ?? true
    let trials = try ChoiceTrials(&ctx, o, minimum: 4)
    let key = trials.key, choices = trials.chosen
    let signed = trials.levels.indices.map { trials.correct[$0] == 1 ? abs(trials.levels[$0]) : -abs(trials.levels[$0]) }
    let fit: PsychometricFit
    do { fit = try PsychometricFit(levels: signed, choices: choices, lapses: lapses) } catch let e as ConfigurationError {
      throw o.error(e)
    }
    let groups = binned(signed, choices)
    return .record(
      Record(
        kind: "psychometric",
        fields: [
          ("levels", .array(ArrayValue(vector: groups.map(\.level)))),
          ("p_choice", .array(ArrayValue(vector: groups.map { Double($0.ones) / Double($0.n) }))),
          (
            "ci_low",
            .array(ArrayValue(vector: groups.map { PsychometricFit.wilsonInterval(successes: $0.ones, trials: $0.n).low }))
          ),
          (
            "ci_high",
            .array(ArrayValue(vector: groups.map { PsychometricFit.wilsonInterval(successes: $0.ones, trials: $0.n).high }))
          ),
          ("n", .array(ArrayValue(vector: groups.map { Double($0.n) }))),
          ("mu", .number(fit.mu)), ("s", .number(fit.s)), ("gamma", .number(fit.gamma)), ("lambda", .number(fit.lambda)),
          ("choices", .array(ArrayValue(vector: choices.map(Double.init)))),
          ("signed_level", .array(ArrayValue(vector: signed))),
          ("by", .string(key)),
        ]))
  }

  /// The points of the curve: each distinct level, or 10 bins of equal counts when there are many.
  static func binned(_ levels: [Double], _ choices: [Int]) -> [(level: Double, ones: Int, n: Int)] {
    let distinct = Array(Set(levels)).sorted()
    if distinct.count <= 12 {
      return distinct.map { v in
        let idx = levels.indices.filter { levels[$0] == v }
        return (v, idx.filter { choices[$0] == 1 }.count, idx.count)
      }
    }
    let order = levels.indices.sorted { levels[$0] < levels[$1] }
    let bins = 10
    return (0..<bins).compactMap { b in
      let part = order[(b * order.count / bins)..<((b + 1) * order.count / bins)]
      guard !part.isEmpty else { return nil }
      return (part.map { levels[$0] }.reduce(0, +) / Double(part.count), part.filter { choices[$0] == 1 }.count, part.count)
    }
  }

  /// `plot psy`: the points with their intervals, and the fitted curve.
  static func plot(_ r: Record, name: String) throws -> Plot {
    guard case .array(let levels)? = r["levels"], case .array(let p)? = r["p_choice"], case .array(let lo)? = r["ci_low"],
      case .array(let hi)? = r["ci_high"], case .number(let mu)? = r["mu"], case .number(let s)? = r["s"],
      case .number(let g)? = r["gamma"], case .number(let l)? = r["lambda"]
    else { throw RuntimeError("\(name) is not a psychometric record") }
    let fit = PsychometricFit(mu: mu, s: s, gamma: g, lambda: l)
    let a = levels.values.min() ?? -1, b = levels.values.max() ?? 1
    let grid = (0...100).map { a + (b - a) * Double($0) / 100 }
    let by = r["by"].map(Printer.plain) ?? "level"
    return .lines(
      title:
        "\(name): P(choice 1), fit μ \(Format.number(mu)), s \(Format.number(s)), γ \(Format.number(g)), λ \(Format.number(l))",
      xLabel: "signed \(by)", yLabel: "P(choice 1)",
      series: [
        PlotSeries(name: "fit", x: grid, y: grid.map(fit.probability)),
        PlotSeries(name: "P(choice 1)", x: levels.values, y: p.values, points: true),
        PlotSeries(name: "95% interval", x: levels.values + levels.values, y: lo.values + hi.values, points: true),
      ], logScale: false, yRange: 0...1)
  }
}
