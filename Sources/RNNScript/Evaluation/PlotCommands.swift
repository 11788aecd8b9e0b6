// `plot loss|outputs|states|weights|scatter|EXPR` and `show NET|TASK`: the pictures a user looks at.
// They are returned as `Plot` data, drawn by Presentation/Printer.swift with TermPlot. Commands that
// only display draw their trials and noise from the session's display streams, so looking at a task
// never changes what `batch` or `train` draw next.

import Linear
import PsychRNN

enum PlotCommands {
  /// What `plot` draws by name; anything else is an expression to plot.
  static let kinds = ["loss", "outputs", "states", "weights", "scatter"]
  static let options = ["trial", "title", "xlabel", "ylabel", "labels", "kind", "vmin", "vmax", "by"]

  /// How the analyses' records are drawn, by record kind: (record, its variable name, options, where).
  static let analysisPlots: [String: @Sendable (Record, String, KeyedArguments, SourceLocation) throws -> Plot] = [
    "pca": { r, name, o, at in try PCACommand.plot(r, name: name, by: try o.string("by"), at: at) },
    "lesion sweep": { r, name, _, _ in try LesionSweepCommand.plot(r, name: name) },
    "chronometric": { r, name, _, _ in try ChronometricCommand.plot(r, name: name) },
    "psychometric": { r, name, _, _ in try PsychometricCommand.plot(r, name: name) },
    "fixed points": { r, name, _, at in try FixedPointsCommand.plot(r, name: name, at: at) },
    "task variance": { r, name, _, _ in try TaskVarianceCommand.plot(r, name: name) },
  ]

  /// How `show` tables the analyses' records, by record kind.
  static let analysisReports: [String: @Sendable (Record) -> String] = [
    "pca": PCACommand.report,
    "fixed points": FixedPointsCommand.report,
  ]

  static func plot(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(options)
    if let word = ctx.peekWord, !kinds.contains(word), ctx.session.variables[word] == nil,
      let near = suggestion(for: word, among: kinds)
    {
      throw ctx.error("plot draws \(kinds.joined(separator: ", ")) or an array, and '\(word)' is neither", suggestion: near)
    }
    // An analysis's record draws itself.
    if let w = ctx.peekWord, case .record(let r)? = ctx.session.variables[w], let draw = analysisPlots[r.kind] {
      _ = try ctx.value("a \(r.kind)")
      try ctx.finish()
      return .plot(try draw(r, w, o, ctx.location))
    }
    guard let word = ctx.peekWord, kinds.contains(word) else { return try expressions(&ctx, o) }
    _ = try ctx.word(kinds, what: "what to plot")
    switch word {
    case "loss": return try loss(&ctx, o)
    case "weights": return try weights(&ctx, o)
    case "scatter": return try scatter(&ctx, o)
    default: return try trial(&ctx, o, states: word == "states")
    }
  }

  /// `title:`, `xlabel:`, `ylabel:` over the defaults; `vmin:`/`vmax:` as a range.
  struct Labels {
    var title: String
    var x: String
    var y: String
    var range: ClosedRange<Double>?

    init(_ o: KeyedArguments, title: String, x: String, y: String) throws {
      self.title = try o.string("title") ?? title
      self.x = try o.string("xlabel") ?? x
      self.y = try o.string("ylabel") ?? y
      let lo = try o.number("vmin"), hi = try o.number("vmax")
      if let lo, let hi {
        guard lo < hi else { throw o.error("vmax", "must be larger than vmin (\(Format.number(lo)))") }
        range = lo...hi
      } else if lo != nil || hi != nil {
        throw o.error(lo != nil ? "vmin" : "vmax", "give vmin and vmax together")
      } else {
        range = nil
      }
    }
  }

  /// The recorded training losses against trials, on a log scale; one series per network.
  private static func loss(_ ctx: inout CommandContext, _ o: KeyedArguments) throws -> Value {
    var names = [try ctx.network()]
    while ctx.hasMore { names.append(try ctx.network(required: true)) }
    try ctx.finish()
    var series: [PlotSeries] = []
    for name in names {
      let h = ctx.networkValue(name).history
      guard !h.losses.isEmpty else {
        throw RuntimeError(
          "\(name) has no recorded losses yet: train it first (losses are recorded every loss_epoch batches)",
          at: ctx.location, length: ctx.name.count)
      }
      series.append(
        PlotSeries(
          name: names.count == 1 ? "loss + regularization" : name,
          x: h.losses.map { Double($0.trials) }, y: h.losses.map(\.loss)))
    }
    let l = try Labels(o, title: "training loss — \(names.joined(separator: ", "))", x: "trials", y: "loss")
    return .plot(.lines(title: l.title, xLabel: l.x, yLabel: l.y, series: series, logScale: true, yRange: l.range))
  }

  /// Outputs against targets, or the states as a heatmap, for one trial: of a fresh batch of a task
  /// (from the display stream), or of a `test`/`simulate` result.
  private static func trial(_ ctx: inout CommandContext, _ o: KeyedArguments, states: Bool) throws -> Value {
    let k = try o.integer("trial") ?? 0
    // A result record: `plot outputs r trial: 3`.
    if let w = ctx.peekWord, case .record(let r)? = ctx.session.variables[w], r["outputs"] != nil {
      _ = try ctx.value("a result")
      try ctx.finish()
      guard case .array(let outputs)? = r["outputs"], let out = outputs.tensor else {
        throw ctx.error("\(w).outputs is not trials × steps × outputs")
      }
      guard (0..<out.d0).contains(k) else { throw o.error("trial", "must be between 0 and \(out.d0 - 1)") }
      let time = (0..<out.d1).map(Double.init)
      if states {
        guard case .array(let st)? = r["states"], let s = st.tensor else { throw ctx.error("\(w) has no states") }
        let l = try Labels(o, title: "states of \(w), trial \(k)", x: "time step", y: "unit")
        return .plot(stateHeatmap(s, trial: k, labels: l, marks: []))
      }
      var series = (0..<out.d2).map { ch in PlotSeries(name: "output \(ch)", x: time, y: (0..<out.d1).map { out[k, $0, ch] }) }
      if case .array(let ya)? = r["y"], let y = ya.tensor, y.d0 == out.d0, y.d1 == out.d1 {
        series += (0..<y.d2).map { ch in PlotSeries(name: "target \(ch)", x: time, y: (0..<y.d1).map { y[k, $0, ch] }) }
      }
      let l = try Labels(o, title: "\(w), trial \(k)", x: "time step", y: "output")
      return .plot(.lines(title: l.title, xLabel: l.x, yLabel: l.y, series: series, logScale: false, yRange: l.range))
    }
    let name = try ctx.network()
    let t = try ctx.task()
    try ctx.finish()
    let b = try batchOf(t.task, number: 1, using: &ctx.session.display.trials)
    guard (0..<b.trialCount).contains(k) else { throw o.error("trial", "must be between 0 and \(b.trialCount - 1)") }
    let r = try AnalysisCommands.run(ctx.networkValue(name), b.x, session: ctx.session, at: ctx.location, display: true)
    let dt = t.task.timing.dt, S = b.x.d1
    let time = (0..<S).map { Double($0) * dt }
    if states {
      let l = try Labels(
        o, title: "states of \(name), trial \(k) of \(t.task.name)", x: "time step (dt \(Format.number(dt)))", y: "unit")
      return .plot(stateHeatmap(r.states, trial: k, labels: l, marks: daleMarks(ctx.networkValue(name))))
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
    let l = try Labels(o, title: "\(name) on \(t.task.name), trial \(k)", x: "time", y: "output")
    return .plot(
      .stack([
        .lines(title: l.title, xLabel: l.x, yLabel: l.y, series: series, logScale: false, yRange: l.range),
        .note("trial \(k): \(p)"),
      ]))
  }

  /// One trial's states (units × steps) as a heatmap.
  static func stateHeatmap(_ states: Tensor3<Double>, trial k: Int, labels l: Labels, marks: [(row: Int, label: String)]) -> Plot
  {
    let N = states.d2, S = states.d1
    var values = [Double](repeating: 0, count: N * S)
    for u in 0..<N { for s in 0..<S { values[u * S + s] = states[k, s, u] } }
    return .heatmap(
      title: l.title, rowLabel: l.y, colLabel: l.x, rows: N, cols: S, values: values,
      diverging: values.contains { $0 < 0 }, rowMarks: marks, range: l.range)
  }

  /// `plot scatter x y`: points.
  private static func scatter(_ ctx: inout CommandContext, _ o: KeyedArguments) throws -> Value {
    let (xv, xa) = try ctx.value("x values")
    let (yv, ya) = try ctx.value("y values")
    try ctx.finish()
    guard let x = try xv.asArray(at: xa.location), let y = try yv.asArray(at: ya.location) else {
      throw RuntimeError("plot scatter needs two arrays (x and y)", at: xa.location, length: xa.length)
    }
    guard x.values.count == y.values.count else {
      throw RuntimeError("x has \(x.values.count) values but y has \(y.values.count)", at: ya.location, length: ya.length)
    }
    let l = try Labels(o, title: "\(ya.word ?? "y") against \(xa.word ?? "x")", x: xa.word ?? "x", y: ya.word ?? "y")
    let series = [PlotSeries(name: "", x: x.values, y: y.values, points: true)]
    return .plot(.lines(title: l.title, xLabel: l.x, yLabel: l.y, series: series, logScale: false, yRange: l.range))
  }

  /// `plot EXPR …`: 1-d arrays (or lists) as lines, a 2-d array as one line per row (or a heatmap
  /// with `kind: "heatmap"`), a list of arrays as one line each; `labels:` names them.
  private static func expressions(_ ctx: inout CommandContext, _ o: KeyedArguments) throws -> Value {
    guard ctx.hasMore else {
      throw ctx.error(
        "plot needs something to draw: loss, outputs, states, weights, scatter, or an array such as plot net.losses")
    }
    var curves: [(name: String?, y: [Double])] = []
    var words: [String] = []
    let kind = try o.string("kind") ?? "lines"
    guard ["lines", "heatmap"].contains(kind) else {
      throw o.error("kind", "is \"lines\" or \"heatmap\", not \"\(kind)\"")
    }
    while ctx.hasMore {
      let (v, a) = try ctx.value("an array to plot")
      if let w = a.word { words.append(w) }
      if case .list(let items) = v,
        items.contains(where: { if case .array = $0 { true } else if case .list = $0 { true } else { false } })
      {
        for item in items {
          guard let arr = try item.asArray(at: a.location), arr.shape.count == 1 else {
            throw RuntimeError(
              "plot draws lists of 1-d arrays as lines; found a \(item.typeName)", at: a.location, length: a.length)
          }
          curves.append((nil, arr.values))
        }
        continue
      }
      guard let arr = try v.asArray(at: a.location) else {
        throw RuntimeError("plot draws arrays and lists of numbers, not a \(v.typeName)", at: a.location, length: a.length)
      }
      switch arr.shape.count {
      case 0, 1: curves.append((a.word, arr.values))
      case 2:
        let (rows, cols) = (arr.shape[0], arr.shape[1])
        if kind == "heatmap" {
          try ctx.finish()
          let l = try Labels(o, title: a.word ?? "", x: "column", y: "row")
          return .plot(
            .heatmap(
              title: l.title, rowLabel: l.y, colLabel: l.x, rows: rows, cols: cols, values: arr.values,
              diverging: arr.values.contains { $0 < 0 }, rowMarks: [], range: l.range))
        }
        guard rows <= 32 else {
          throw RuntimeError(
            "\(rows) rows are too many lines to tell apart: use kind: \"heatmap\", or plot fewer rows (x[0:8])",
            at: a.location, length: a.length)
        }
        for i in 0..<rows { curves.append(("\(a.word ?? "row") \(i)", Array(arr.values[(i * cols)..<((i + 1) * cols)]))) }
      default:
        throw RuntimeError(
          "plot draws 1-d and 2-d arrays; this one has shape \(Format.shape(arr.shape)) (index it, e.g. x[0, :, :])",
          at: a.location, length: a.length)
      }
    }
    var labels: [String] = []
    if let given = o.value("labels") {
      guard case .list(let items) = given, items.count == curves.count else {
        throw o.error("labels", "expected a list of \(curves.count) names, one per line")
      }
      labels = items.map(Printer.plain)
    }
    let series = curves.enumerated().map { i, c in
      PlotSeries(
        name: labels.isEmpty ? (curves.count == 1 ? "" : c.name ?? "series \(i)") : labels[i],
        x: c.y.indices.map(Double.init), y: c.y)
    }
    let l = try Labels(o, title: words.joined(separator: ", "), x: "index", y: "")
    return .plot(.lines(title: l.title, xLabel: l.x, yLabel: l.y, series: series, logScale: false, yRange: l.range))
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
  private static func weights(_ ctx: inout CommandContext, _ o: KeyedArguments) throws -> Value {
    let name = try ctx.network()
    let net = ctx.networkValue(name)
    let which = try ctx.word(net.model.weightNames, what: "which weights")
    try ctx.finish()
    guard let w = net.model.weights(which) else { throw ctx.error("\(name) has no weights \(which)") }
    let marks = w.rowLabel.hasPrefix("to unit") ? daleMarks(net) : []
    let l = try Labels(o, title: "\(which) of \(name) (\(w.isEffective ? "effective" : "raw"))", x: w.columnLabel, y: w.rowLabel)
    return .plot(
      .heatmap(
        title: l.title, rowLabel: l.y, colLabel: l.x, rows: w.values.rows, cols: w.values.cols,
        values: w.values.storage, diverging: true, rowMarks: marks, range: l.range))
  }

  /// "exc" at unit 0 and "inh" at the first inhibitory unit when Dale's law is on.
  static func daleMarks(_ n: NetworkValue) -> [(row: Int, label: String)] {
    guard let signs = n.model.unitSigns else { return [] }
    guard let firstInhibitory = signs.firstIndex(where: { $0 < 0 }) else { return [(0, "exc")] }
    return firstInhibitory == 0 ? [(0, "inh")] : [(0, "exc"), (firstInhibitory, "inh")]
  }

  // MARK: show

  static func show(_ ctx: inout CommandContext) throws -> Value {
    if let w = ctx.peekWord, case .record(let r)? = ctx.session.variables[w], let report = analysisReports[r.kind] {
      _ = try ctx.value("a \(r.kind)")
      try ctx.finish()
      return .text(report(r))
    }
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
    let b = try batchOf(t.task, number: 1, trials: 1, using: &session.display.trials)
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
