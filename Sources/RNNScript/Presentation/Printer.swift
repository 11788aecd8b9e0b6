// Values → text. The only place that decides how a value looks at the prompt or in a replayed
// script: numbers, arrays and records as compact text, plots through TermPlot at the terminal's
// width and colour mode, diagnostics in the one `file:line:col: error:` format.

import Foundation
import Linear
import PsychRNN
import TermPlot

/// Renders values for people.
public struct Printer: Sendable {
  /// Total output width in columns.
  public var width: Int
  /// Whether and how to colour plots.
  public var colorMode: ColorMode

  public init(width: Int = 80, colorMode: ColorMode = .none) {
    self.width = max(40, width)
    self.colorMode = colorMode
  }

  /// The text for a value (no trailing newline).
  public func render(_ value: Value) -> String {
    switch value {
    case .none: return "none"
    case .number(let d): return Format.number(d)
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .list(let items): return "[" + items.map(inline).joined(separator: ", ") + "]"
    case .array(let a): return array(a)
    case .record(let r): return record(r)
    case .task(let t): return task(t)
    case .network(let n): return network(n)
    case .initializer(let i): return inline(.initializer(i))
    case .curriculum(let c): return curriculum(c)
    case .plot(let p): return plot(p)
    case .function(let f): return Printer.functionSignature(f)
    case .text(let s): return s
    case .directive: return ""
    }
  }

  /// A one-line summary of a value (inside lists and records).
  public func inline(_ value: Value) -> String {
    switch value {
    case .string(let s): return "\"\(s)\""
    case .array(let a):
      if a.values.count <= 6 && a.shape.count <= 1 { return "[" + a.values.map(Format.number).joined(separator: ", ") + "]" }
      return "array \(Format.shape(a.shape))"
    case .record(let r): return "\(r.kind) (\(r.fields.map(\.name).joined(separator: ", ")))"
    case .task(let t):
      return t.task.name + "(" + t.arguments.map { "\($0.key): \(inline($0.value))" }.joined(separator: ", ") + ")"
    case .network(let n): return "\(n.className) network (N_rec \(n.configuration.nRec))"
    case .initializer(let i):
      var args: [String] = []
      switch i.kind {
      case .gaussianSpectralRadius(let r): args.append("spec_rad: \(Format.number(r))")
      case .alphaIdentity(let a): args.append("alpha: \(Format.number(a))")
      case .weightInitializer: break
      }
      args += i.options.map { "\($0.label ?? ""): \(inline($0.value))" }
      return i.kind.name + "(" + args.joined(separator: ", ") + ")"
    case .curriculum(let c): return "Curriculum (\(c.tasks.count) stages, at stage \(c.stage))"
    case .plot: return "plot"
    case .function(let f): return Printer.functionSignature(f)
    case .text(let s): return s.split(separator: "\n").first.map(String.init) ?? ""
    default: return render(value)
    }
  }

  // MARK: - Numbers and arrays

  /// An array: its shape, then its values (rows elided in the middle when long).
  func array(_ a: ArrayValue) -> String {
    var lines = ["array \(Format.shape(a.shape))"]
    switch a.shape.count {
    case 0: return a.values.first.map(Format.number) ?? "nan"
    case 1: lines.append(row(a.values))
    case 2:
      let rows = a.shape[0], cols = a.shape[1]
      for i in elided(rows) {
        if let i { lines.append(row(Array(a.values[(i * cols)..<((i + 1) * cols)]))) } else { lines.append(" …") }
      }
    default:
      let inner = a.shape.dropFirst().reduce(1, *)
      let stats = summary(a.values)
      lines.append(" \(a.shape[0]) × \(Format.shape(Array(a.shape.dropFirst()))) (\(inner) values each); \(stats)")
      lines.append(" index the first axis to look inside, e.g. x[0]")
    }
    return lines.joined(separator: "\n")
  }

  private func elided(_ n: Int) -> [Int?] { n <= 12 ? Array(0..<n) : Array(0..<5) + [nil] + Array((n - 5)..<n) }

  private func row(_ values: [Double]) -> String {
    let cells = values.map { String(format: "%9.4g", $0) }
    let fit = max(2, (width - 6) / 10)
    if cells.count <= fit { return " [" + cells.joined(separator: " ") + "]" }
    let half = fit / 2
    return " [" + (cells.prefix(half) + ["      …  "] + cells.suffix(half)).joined(separator: " ") + "]"
  }

  private func summary(_ v: [Double]) -> String {
    guard !v.isEmpty else { return "empty" }
    let finite = v.filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max() else { return "no finite values" }
    let mean = finite.reduce(0, +) / Double(finite.count)
    return "min \(Format.number(lo)), mean \(Format.number(mean)), max \(Format.number(hi))"
  }

  /// A value inside a line of `print`: strings without quotes, numbers plainly, others summarized.
  public static func plain(_ v: Value) -> String {
    switch v {
    case .string(let s): return s
    case .number(let d): return Format.number(d)
    case .bool(let b): return b ? "true" : "false"
    case .none: return "none"
    case .text(let t): return t
    case .list, .record, .initializer, .function: return Printer(width: 1000).inline(v)
    case .array(let a) where a.values.count <= 20 && a.shape.count <= 1:
      return "[" + a.values.map(Format.number).joined(separator: ", ") + "]"
    default: return summary(v)
    }
  }

  /// What a variable holds, in a few words (`vars`).
  public static func summary(_ v: Value) -> String {
    switch v {
    case .number(let d): return "number \(Format.number(d))"
    case .string(let s): return "string \"\(s)\""
    case .array(let a): return "array \(Format.shape(a.shape))"
    case .record(let r): return "\(r.kind) (\(r.fields.map(\.name).joined(separator: ", ")))"
    case .task(let t): return "task \(t.task.name)"
    case .network(let n):
      return "network \(n.className) N_rec \(n.configuration.nRec)"
        + (n.history.trials > 0
          ? ", trained on \(n.history.trials) trials" : n.source.map { ", loaded from \($0)" } ?? ", untrained")
    case .curriculum(let c): return "curriculum, \(c.tasks.count) stages"
    case .list(let items): return "list of \(items.count)"
    default: return v.typeName
    }
  }

  /// `function f(a, b, c: 0.5)`.
  static func functionSignature(_ f: FunctionValue) -> String {
    let params = f.definition.parameters.map { p in p.defaultValue.map { "\(p.name): \($0)" } ?? p.name }
    return "function \(f.name)(" + params.joined(separator: ", ") + ")"
  }

  // MARK: - Structured values

  func record(_ r: Record) -> String {
    let nameWidth = min(24, r.fields.map(\.name.count).max() ?? 0)
    let body = r.fields.map { f in
      "  " + f.name.padding(toLength: max(nameWidth, f.name.count), withPad: " ", startingAt: 0) + "  " + inline(f.value)
    }
    return ([r.kind] + body).joined(separator: "\n")
  }

  func task(_ t: TaskValue) -> String {
    let timing = t.task.timing
    return inline(.task(t))
      + "\n  N_in \(timing.nIn), N_out \(timing.nOut), N_steps \(timing.nSteps), alpha \(Format.number(timing.alpha))"
  }

  func network(_ n: NetworkValue) -> String {
    var lines = [Printer.signature(n)]
    let h = n.history
    if h.steps > 0 {
      let last = h.losses.last.map { ", last loss \(Format.number($0.loss))" } ?? ""
      lines.append("  trained on \(h.trials) trials (\(h.steps) steps)\(last)")
    } else {
      lines.append(n.source.map { "  loaded from \($0)" } ?? "  untrained")
    }
    if !n.ablation.isEmpty { lines.append("  ablated: " + n.ablation.cuts.map(Printer.cut).joined(separator: "; ")) }
    return lines.joined(separator: "\n")
  }

  func curriculum(_ c: Curriculum) -> String {
    let stages = c.tasks.enumerated().map { i, t in
      "  stage \(i): \(t.name), threshold \(Format.number(c.thresholds[i]))\(i == c.stage && !c.stopTraining ? "   ← current" : "")"
    }
    return (["Curriculum, metric every \(c.metricEpoch) batches\(c.stopTraining ? ", finished" : "")"] + stages).joined(
      separator: "\n")
  }

  // MARK: - Plots

  func plot(_ p: Plot) -> String {
    switch p {
    case .stack(let parts): return parts.map(plot).joined(separator: "\n")
    case .note(let text): return text
    case .lines(let title, let xLabel, let yLabel, let series, let log, let yRange):
      let s = series.map { Series(name: $0.name, y: $0.y, x: $0.x, dimmed: $0.dimmed, pointsOnly: $0.points) }
      return lineChart(
        series: s, title: title, xLabel: xLabel, yLabel: yLabel, width: width, height: 14,
        yScale: log ? .log10 : .linear, yRange: yRange, colorMode: colorMode, dimmedLabel: "mask = 0")
    case .heatmap(let title, let rowLabel, let colLabel, let rows, let cols, let values, let diverging, let marks, let range):
      return heatmap(
        rows: rows, cols: cols, value: { values[$0 * cols + $1] }, title: title, rowLabel: rowLabel,
        colLabel: colLabel, map: diverging ? .diverging : .sequential, range: range, width: width, height: 24,
        colorMode: colorMode, rowMarks: marks.map { RowMark(row: $0.row, label: $0.label) })
    }
  }
}
