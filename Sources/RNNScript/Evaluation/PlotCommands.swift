// `plot loss|outputs|states|weights` and `show NET|TASK`: the pictures a user looks at. They are
// returned as `Plot` data; RNNShell draws them with TermPlot at the terminal's width.

import Linear
import PsychRNN

enum PlotCommands {
  /// What `plot` draws.
  static let kinds = ["loss", "outputs", "states", "weights"]

  static func plot(_ ctx: inout CommandContext) throws -> Value {
    let kind = try ctx.word(kinds, what: "what to plot")
    switch kind {
    case "loss": return try loss(&ctx)
    case "weights": return try weights(&ctx)
    default: return try trial(&ctx, states: kind == "states")
    }
  }

  /// The recorded training losses against trials, on a log scale.
  private static func loss(_ ctx: inout CommandContext) throws -> Value {
    let name = try ctx.network()
    try ctx.finish()
    let h = ctx.networkValue(name).history
    guard !h.losses.isEmpty else {
      throw RuntimeError(
        "\(name) has no recorded losses yet: train it first (losses are recorded every loss_epoch batches)", at: ctx.location,
        length: ctx.name.count)
    }
    let series = PlotSeries(name: "loss + regularization", x: h.losses.map { Double($0.trials) }, y: h.losses.map(\.loss))
    return .plot(.lines(title: "training loss — \(name)", xLabel: "trials", yLabel: "loss", series: [series], logScale: true))
  }

  /// Outputs against targets, or the states as a heatmap, for one trial of a fresh batch.
  private static func trial(_ ctx: inout CommandContext, states: Bool) throws -> Value {
    let name = try ctx.network()
    let t = try ctx.task()
    try ctx.finish()
    let o = try ctx.keyed(["trial"])
    let b = t.task.makeBatch(number: 1, using: &ctx.session.random.trials)
    let k = try o.integer("trial") ?? 0
    guard (0..<b.trialCount).contains(k) else { throw o.error("trial", "must be between 0 and \(b.trialCount - 1)") }
    let r = try AnalysisCommands.run(ctx.networkValue(name), b.x, session: ctx.session, at: ctx.location)
    let dt = t.task.timing.dt, S = b.x.d1
    let time = (0..<S).map { Double($0) * dt }
    if states {
      let N = r.states.d2
      var values = [Double](repeating: 0, count: N * S)
      for u in 0..<N { for s in 0..<S { values[u * S + s] = r.states[k, s, u] } }
      let signed = values.contains { $0 < 0 }
      return .plot(
        .heatmap(
          title: "states of \(name), trial \(k) of \(t.task.name)", rowLabel: "unit",
          colLabel: "time step (dt \(Format.number(dt)))", rows: N, cols: S, values: values,
          diverging: signed, rowMarks: daleMarks(ctx.networkValue(name))))
    }
    let mask0 = (0..<S).map { b.mask[k, $0, 0] != 0 }
    let dimmed = intervals(mask0, time: time, dt: dt)
    var series: [PlotSeries] = []
    for ch in 0..<r.outputs.d2 {
      series.append(PlotSeries(name: "output \(ch)", x: time, y: (0..<S).map { r.outputs[k, $0, ch] }, dimmed: dimmed))
    }
    for ch in 0..<b.y.d2 {
      series.append(PlotSeries(name: "target \(ch)", x: time, y: (0..<S).map { b.y[k, $0, ch] }))
    }
    let p = describe(b.parameters[k])
    return .plot(
      .stack([
        .lines(title: "\(name) on \(t.task.name), trial \(k)", xLabel: "time", yLabel: "output", series: series, logScale: false),
        .note("trial \(k): \(p)"),
      ]))
  }

  /// "coherence 0.3, direction 1, onset_time 493.505, …".
  static func describe(_ p: any TrialParameters) -> String {
    p.fields.map { "\($0.key) \(describe($0.value))" }.joined(separator: ", ")
  }

  static func describe(_ v: ParameterValue) -> String {
    switch v {
    case .number(let d): return Format.number(d)
    case .text(let s): return s
    }
  }

  /// Runs of false in `keep` as time intervals [t_start, t_end).
  static func intervals(_ keep: [Bool], time: [Double], dt: Double) -> [Range<Double>] {
    var out: [Range<Double>] = []
    var start: Int? = nil
    for (i, on) in keep.enumerated() {
      if !on && start == nil { start = i }
      if on, let s = start { out.append(time[s]..<time[i]); start = nil }
    }
    if let s = start, let last = time.last { out.append(time[s]..<(last + dt)) }
    return out
  }

  /// A weight matrix as a diverging heatmap (effective where the model has effective weights);
  /// E/I blocks marked under Dale's law.
  private static func weights(_ ctx: inout CommandContext) throws -> Value {
    let name = try ctx.network()
    let net = ctx.networkValue(name)
    let which = try ctx.word(net.model.weightNames, what: "which weights")
    try ctx.finish()
    guard let w = net.model.weights(which) else { throw ctx.error("\(name) has no weights \(which)") }
    let marks = w.rowLabel.hasPrefix("to unit") ? daleMarks(net) : []
    return .plot(
      .heatmap(
        title: "\(which) of \(name) (\(w.isEffective ? "effective" : "raw"))", rowLabel: w.rowLabel,
        colLabel: w.columnLabel, rows: w.values.rows, cols: w.values.cols, values: w.values.storage,
        diverging: true, rowMarks: marks))
  }

  /// "exc" at unit 0 and "inh" at the first inhibitory unit when Dale's law is on.
  static func daleMarks(_ n: NetworkValue) -> [(row: Int, label: String)] {
    guard let signs = n.model.unitSigns else { return [] }
    guard let firstInhibitory = signs.firstIndex(where: { $0 < 0 }) else { return [(0, "exc")] }
    return firstInhibitory == 0 ? [(0, "inh")] : [(0, "exc"), (firstInhibitory, "inh")]
  }

  // MARK: show

  static func show(_ ctx: inout CommandContext) throws -> Value {
    if let w = ctx.peekWord, case .task(let t)? = ctx.session.variables[w] {
      _ = try ctx.value("a task")
      try ctx.finish()
      return try showTask(t, ctx.session)
    }
    let name = try ctx.network()
    try ctx.finish()
    do {
      return .text(try Printer.report(name: name, network: ctx.networkValue(name)))
    } catch {
      throw RuntimeError(error, at: ctx.location, length: ctx.name.count)
    }
  }

  /// The trial timeline: inputs, targets and mask of one trial on one time axis.
  private static func showTask(_ t: TaskValue, _ session: Session) throws -> Value {
    let b = t.task.makeBatch(number: 1, trials: 1, using: &session.random.trials)
    let timing = t.task.timing, S = timing.nSteps
    let time = (0..<S).map { Double($0) * timing.dt }
    let dimmed = intervals((0..<S).map { b.mask[0, $0, 0] != 0 }, time: time, dt: timing.dt)
    var series: [PlotSeries] = []
    for ch in 0..<timing.nIn { series.append(PlotSeries(name: "input \(ch)", x: time, y: (0..<S).map { b.x[0, $0, ch] })) }
    for ch in 0..<timing.nOut {
      series.append(PlotSeries(name: "target \(ch)", x: time, y: (0..<S).map { b.y[0, $0, ch] }, dimmed: dimmed))
    }
    let settings = t.task.settings.map { "\($0.key) \($0.value.map(describe) ?? "none")" }.joined(separator: ", ")
    let params = describe(b.parameters[0])
    return .plot(
      .stack([
        .note(
          "\(t.task.name): N_in \(timing.nIn), N_out \(timing.nOut), dt \(Format.number(timing.dt)), tau \(Format.number(timing.tau)), T \(Format.number(timing.duration)), N_steps \(S), N_batch \(timing.nBatch)\n\(settings)"
        ),
        .lines(title: "one trial of \(t.task.name)", xLabel: "time", yLabel: "", series: series, logScale: false),
        .note("this trial: \(params)"),
      ]))
  }
}
