// `fp = fixed_points [NET] [TASK] [input: [0, 0]] [inits: 1024] [noise: 0] …`: the fixed points
// and slow points of the network's update at a constant input (PsychRNN/Analysis/FixedPoints.swift),
// as a record that `show`, `plot` and `save` understand:
//
//   xstar (K × units), q (K), fixed (K: 1 for a true fixed point, 0 for a slow point), stable (K),
//   eig_real and eig_imag (K × units, sorted by |λ| descending), mode (K × units, the leading
//   eigenvector's real part), jacobian (K × units × units), input, inits (the starting states),
//   trajectories (the states they were sampled from), and the counts.
//
// Starting states are `inits:` states drawn uniformly from the states of one batch of TASK (by
// default the task the network was last trained on) run through the network, plus Gaussian noise
// of s.d. `noise:`; batch and draws come from the session's trial and noise streams, so `seed`
// replays them. `inits:` may instead be an array of states (starts × units), used as given.

import Linear
import PsychRNN

enum FixedPointsCommand {
  static let options = [
    "input", "inits", "noise", "tol_q", "max_iters", "tol_unique", "tol_fixed", "newton_iters", "outlier_scale", "max_q",
  ]

  static func run(_ ctx: inout CommandContext) throws -> Value {
    let o = try ctx.keyed(options)
    let name = try ctx.network()
    let net = ctx.networkValue(name)
    var task: (any Task)? = nil
    if ctx.hasMore { task = try ctx.task().task }
    try ctx.finish()
    let c = net.configuration
    let units = c.nRec
    let input = try o.vector("input") ?? [Double](repeating: 0, count: c.nIn)
    guard input.count == c.nIn else {
      throw o.error("input", "needs \(c.nIn) value\(c.nIn == 1 ? "" : "s") (the network has N_in \(c.nIn)), got \(input.count)")
    }
    var settings = FixedPointOptions()
    if let v = try o.number("tol_q") { settings.tolQ = v }
    if let v = try o.integer("max_iters") { settings.maxIterations = v }
    if let v = try o.number("tol_unique") { settings.tolUnique = v }
    if let v = try o.number("tol_fixed") { settings.tolFixed = v }
    if let v = try o.integer("newton_iters") { settings.newtonIterations = v }
    if let v = try o.number("outlier_scale") { settings.outlierScale = v }
    if let v = try o.number("max_q") { settings.maxQ = v }
    let noise = try o.number("noise") ?? 0

    // The starting states: given, or sampled along trajectories.
    var trajectories: ArrayValue? = nil
    let starts: Matrix<Double>
    if case .array(let given)? = o.value("inits"), given.shape.count == 2 {
      guard given.shape[1] == units else {
        throw o.error("inits", "states must have \(units) columns (one per unit), got shape \(Format.shape(given.shape))")
      }
      guard given.shape[0] >= 1 && given.shape[0] <= 100_000 else {
        throw o.error("inits", "give between 1 and 100000 states, got \(given.shape[0])")
      }
      starts = Matrix(rows: given.shape[0], cols: units, storage: given.values)
    } else {
      let count = try o.integer("inits") ?? 1024
      guard (1...100_000).contains(count) else { throw o.error("inits", "must be between 1 and 100000, got \(count)") }
      guard let t = task ?? net.trainedOn else {
        throw ctx.error(
          "fixed_points samples its starting states along the network's trajectories on a task: name one "
            + "(fixed_points \(name) task …), or give the states (inits: X, starts × units)")
      }
      let b = try batchOf(t, number: 1, using: &ctx.session.random.trials)
      let r = try AnalysisCommands.run(net, b.x, session: ctx.session, at: ctx.location)
      trajectories = ArrayValue(r.states)
      let samples = Matrix(rows: r.states.d0 * r.states.d1, cols: units, storage: r.states.storage)
      do {
        starts = try FixedPointSearch.sampleStates(samples, count: count, noise: noise, using: &ctx.session.random.noise)
      } catch let e as ConfigurationError { throw o.error(e) }
    }
    // K ≤ starts points, each with a units × units Jacobian.
    do {
      try MemoryBudget.require(
        Double(starts.rows) * Double(units * units + 6 * units) * 8 * 2, for: "\(starts.rows) fixed points' Jacobians",
        key: "inits", advice: "lower inits:")
    } catch let e as ConfigurationError { throw o.error(e) }

    let search: FixedPointSearch
    do {
      let map = try net.model.stepMap(input: input, ablation: net.ablation)
      search = try FixedPointSearch(map: map, initialStates: starts, options: settings)
    } catch let e as ConfigurationError {
      if Self.options.contains(e.key) { throw o.error(e) }
      throw RuntimeError(e.problem, at: ctx.location, length: ctx.name.count)
    } catch {
      throw RuntimeError(error, at: ctx.location, length: ctx.name.count)
    }
    let p = search.points, k = p.count
    func rows(_ f: (FixedPoint) -> [Double]) -> Value { .array(ArrayValue(shape: [k, units], values: p.flatMap(f))) }
    var fields: [(name: String, value: Value)] = [
      ("xstar", rows(\.x)),
      ("q", .array(ArrayValue(vector: p.map(\.q)))),
      ("fixed", .array(ArrayValue(vector: p.map { $0.isFixed ? 1 : 0 }))),
      ("stable", .array(ArrayValue(vector: p.map { $0.isStable ? 1 : 0 }))),
      ("eig_real", rows(\.eigenvaluesReal)),
      ("eig_imag", rows(\.eigenvaluesImaginary)),
      ("mode", rows(\.leadingMode)),
      ("jacobian", .array(ArrayValue(shape: [k, units, units], values: p.flatMap(\.jacobian.storage)))),
      ("input", .array(ArrayValue(vector: input))),
      ("inits", .array(ArrayValue(shape: [starts.rows, units], values: starts.storage))),
    ]
    if let trajectories { fields.append(("trajectories", .array(trajectories))) }
    fields += [
      ("n_fixed", .number(Double(p.filter(\.isFixed).count))),
      ("n_slow", .number(Double(p.filter { !$0.isFixed }.count))),
      ("outliers", .number(Double(search.outliers))),
      ("duplicates", .number(Double(search.duplicates))),
      ("iterations", .number(Double(search.iterations))),
    ]
    return .record(Record(kind: "fixed points", fields: fields))
  }

  // MARK: show

  /// `show fp`: one line per point (true fixed points first), at most 30.
  static func report(_ r: Record) -> String {
    guard case .array(let xstar)? = r["xstar"], case .array(let q)? = r["q"], case .array(let fixed)? = r["fixed"],
      case .array(let stable)? = r["stable"], case .array(let re)? = r["eig_real"], case .array(let im)? = r["eig_imag"],
      case .array(let input)? = r["input"]
    else { return "" }
    let k = q.values.count, units = xstar.shape.last ?? 0
    func count(_ key: String) -> Int { if case .number(let d)? = r[key] { Int(d) } else { 0 } }
    let nFixed = fixed.values.filter { $0 == 1 }.count
    let starts = (r["inits"].flatMap { if case .array(let a) = $0 { a.shape.first } else { nil } }) ?? 0
    var lines = [
      "fixed points at input [\(input.values.map(Format.number).joined(separator: ", "))]: \(nFixed) true fixed point\(nFixed == 1 ? "" : "s"), \(k - nFixed) slow point\(k - nFixed == 1 ? "" : "s")",
      "  from \(starts) starts (\(count("outliers")) outliers and \(count("duplicates")) duplicates dropped)",
      "    #  kind   q           stability   |λ|max     λ1                  unstable modes",
    ]
    for i in 0..<min(k, 30) {
      let l = (0..<units).map { (re.values[i * units + $0], im.values[i * units + $0]) }
      let mags = l.map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }
      let unstable = mags.filter { $0 >= 1 }.count
      let lead = l.first.map { $0.1 == 0 ? Format.number($0.0) : "\(Format.number($0.0)) ± \(Format.number(abs($0.1)))i" } ?? ""
      lines.append(
        "  "
          + [
            String(i).leftPad(3), fixed.values[i] == 1 ? "fixed" : "slow ", Format.scientific(q.values[i]).rightPad(11),
            (stable.values[i] == 1 ? "stable" : "unstable").rightPad(11), Format.number(mags.first ?? 0).rightPad(10),
            lead.rightPad(19), String(unstable),
          ].joined(separator: "  "))
    }
    if k > 30 { lines.append("  … \(k - 30) more (print fp.q, fp.xstar)") }
    if k == 0 { lines.append("  (none: try more inits:, noise:, or a larger max_q:)") }
    return lines.joined(separator: "\n")
  }

  // MARK: plot

  /// `plot fp`: the points in the plane of the trajectories' first two principal components
  /// (of the starting states' when there are no trajectories): stable and unstable fixed points and
  /// slow points marked apart, each unstable point's leading mode as a segment through it.
  static func plot(_ r: Record, name: String, at location: SourceLocation) throws -> Plot {
    guard case .array(let xstar)? = r["xstar"], case .array(let fixed)? = r["fixed"], case .array(let stable)? = r["stable"],
      case .array(let mode)? = r["mode"], case .array(let inits)? = r["inits"]
    else { throw RuntimeError("\(name) is not a fixed-point record", at: location) }
    let units = xstar.shape.last ?? 0, k = xstar.shape.first ?? 0
    var base = inits
    if case .array(let t)? = r["trajectories"] { base = t }
    let samples = base.values.count / max(units, 1)
    guard samples >= 2, units >= 2 else {
      throw RuntimeError("plotting fixed points needs at least 2 units and 2 states to find their plane", at: location)
    }
    let pca = try PCA(samples: Matrix(rows: samples, cols: units, storage: base.values), components: 2)
    func project(_ v: [Double]) -> (Double, Double) {
      let p = pca.project(Matrix(rows: 1, cols: units, storage: v))
      return (p[0, 0], p[0, 1])
    }
    func along(_ v: [Double]) -> (Double, Double) {  // a direction, not a point: no centring
      (zip(v, pca.components.row(0)).reduce(0) { $0 + $1.0 * $1.1 }, zip(v, pca.components.row(1)).reduce(0) { $0 + $1.0 * $1.1 })
    }
    var series: [PlotSeries] = []
    // Trajectories: up to 16 trials, one series with breaks between them.
    if base.shape.count == 3 {
      let (trials, steps) = (base.shape[0], base.shape[1])
      let proj = pca.project(Matrix(rows: samples, cols: units, storage: base.values))
      var xs: [Double] = [], ys: [Double] = []
      for t in 0..<min(trials, 16) {
        for s in 0..<steps { xs.append(proj[t * steps + s, 0]); ys.append(proj[t * steps + s, 1]) }
        xs.append(.nan); ys.append(.nan)
      }
      series.append(PlotSeries(name: "trajectories", x: xs, y: ys))
    } else {
      let proj = pca.project(Matrix(rows: samples, cols: units, storage: base.values))
      series.append(
        PlotSeries(name: "starts", x: (0..<samples).map { proj[$0, 0] }, y: (0..<samples).map { proj[$0, 1] }, points: true))
    }
    let points = (0..<k).map { project(Array(xstar.values[($0 * units)..<(($0 + 1) * units)])) }
    let spread = (pca.explainedVariance.first ?? 1).squareRoot()
    var mx: [Double] = [], my: [Double] = []
    for i in 0..<k where stable.values[i] == 0 {
      let d = along(Array(mode.values[(i * units)..<((i + 1) * units)]))
      let norm = max((d.0 * d.0 + d.1 * d.1).squareRoot(), 1e-12)
      let s = 0.3 * spread / norm
      mx += [points[i].0 - s * d.0, points[i].0 + s * d.0, .nan]
      my += [points[i].1 - s * d.1, points[i].1 + s * d.1, .nan]
    }
    if !mx.isEmpty { series.append(PlotSeries(name: "unstable modes", x: mx, y: my)) }
    for (label, keep) in [
      ("stable fixed points", { (i: Int) in fixed.values[i] == 1 && stable.values[i] == 1 }),
      ("unstable fixed points", { (i: Int) in fixed.values[i] == 1 && stable.values[i] == 0 }),
      ("slow points", { (i: Int) in fixed.values[i] == 0 }),
    ] {
      let idx = (0..<k).filter(keep)
      if !idx.isEmpty {
        series.append(PlotSeries(name: label, x: idx.map { points[$0].0 }, y: idx.map { points[$0].1 }, points: true))
      }
    }
    return .lines(
      title: "\(name): fixed and slow points in PC1–PC2", xLabel: "PC1", yLabel: "PC2", series: series, logScale: false)
  }
}

extension String {
  fileprivate func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
  fileprivate func rightPad(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
