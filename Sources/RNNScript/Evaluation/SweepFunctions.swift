// A sweep's results at the prompt: `load_sweep("DIR")` reads the table from the run folders (the
// same table `psychrnn sweep collect` writes), `group_by` gives means and standard deviations per
// group, `plot_sweep` draws a metric against a grid variable with one line per value of another.
// A table is a record of equal-length columns: numbers as 1-d arrays, text as lists of strings.

import Foundation
import Sweep

extension Builtins {
  static let sweeps: [Builtin] = [
    Builtin(
      name: "load_sweep", parameters: ["dir"], required: 1, keywords: [],
      summary:
        "a sweep's table from its run folders: a record of columns (index, grid values, reported metrics, wall_time, state)",
      example: "t = load_sweep(\"sweeps/lr\")"
    ) { a, at, session in
      guard let dir = try a.string("dir") else { throw a.error("dir", "is missing") }
      let table: ResultsTable
      do { table = try ResultsTable.collect(SweepDirectory(session.resolve(dir))) } catch {
        throw RuntimeError("load_sweep: \(error)", at: a.location(of: "dir"), length: dir.count + 2)
      }
      return .record(SweepTables.record(table))
    },
    Builtin(
      name: "group_by", parameters: ["table", "by", "value"], required: 3, keywords: [],
      summary:
        "per distinct value of the column(s) by: the mean, std (ddof 0) and count n_runs of value over the runs where it is a number",
      example: "g = group_by(t, \"lr\", \"accuracy\")"
    ) { a, at, _ in
      .record(
        try SweepTables.groupBy(
          try SweepTables.columns(a, "table"), by: try SweepTables.names(a, "by"), value: try SweepTables.name(a, "value"), a))
    },
    Builtin(
      name: "plot_sweep", parameters: ["table", "value"], required: 2, keywords: ["x", "by", "title"],
      summary: "the mean of value against the column x:, one line per value of the column by: (optional)",
      example: "plot_sweep(t, \"accuracy\", x: \"lr\", by: \"N_rec\")"
    ) { a, at, _ in
      try SweepTables.plot(a)
    },
  ]
}

/// Tables as records of columns, and the group-by behind `group_by` and `plot_sweep`.
enum SweepTables {
  /// The table as a record: numeric columns as 1-d arrays, text columns as lists of strings.
  static func record(_ table: ResultsTable) -> Record {
    Record(
      kind: "sweep table",
      fields: table.columns.map { c in
        switch c.column {
        case .numbers(let v): return (c.name, .array(ArrayValue(vector: v)))
        case .text(let v): return (c.name, .list(v.map { .string($0) }))
        }
      })
  }

  /// A column's cells: numbers or text.
  enum Cells {
    case numbers([Double])
    case text([String])
    var count: Int {
      switch self {
      case .numbers(let v): return v.count
      case .text(let v): return v.count
      }
    }
  }

  /// The columns of the record given as `key`, checked to be equally long.
  static func columns(_ a: KeyedArguments, _ key: String) throws -> [(String, Cells)] {
    guard case .record(let r)? = a.value(key) else {
      throw a.error(key, "expected a table (a record of columns, e.g. load_sweep(\"DIR\"))")
    }
    let columns: [(String, Cells)] = try r.fields.map { name, v in
      switch v {
      case .array(let x) where x.shape.count == 1: return (name, .numbers(x.values))
      case .list(let items):
        if items.allSatisfy({ $0.numeric != nil }) { return (name, .numbers(items.map { $0.numeric! })) }
        return (name, .text(items.map(Printer.plain)))
      default: throw a.error(key, "column '\(name)' is a \(v.typeName), not a column (a 1-d array or a list)")
      }
    }
    if let first = columns.first, let bad = columns.first(where: { $0.1.count != first.1.count }) {
      throw a.error(key, "the columns differ in length: '\(first.0)' has \(first.1.count), '\(bad.0)' has \(bad.1.count)")
    }
    return columns
  }

  static func name(_ a: KeyedArguments, _ key: String) throws -> String {
    guard let s = try a.string(key) else { throw a.error(key, "is missing") }
    return s
  }

  static func names(_ a: KeyedArguments, _ key: String) throws -> [String] {
    switch a.value(key) {
    case .string(let s)?: return [s]
    case .list(let items)? where !items.isEmpty:
      return try items.map { item in
        guard case .string(let s) = item else { throw a.error(key, "expected column names (strings)") }
        return s
      }
    default: throw a.error(key, "expected a column name or a list of them, e.g. \"lr\" or [\"lr\", \"N_rec\"]")
    }
  }

  static func column(_ columns: [(String, Cells)], _ name: String, _ a: KeyedArguments, _ key: String) throws -> Cells {
    guard let c = columns.first(where: { $0.0 == name }) else {
      throw RuntimeError(
        "\(key): the table has no column '\(name)' (it has \(columns.map(\.0).joined(separator: ", ")))", at: a.location(of: key),
        length: 1, suggestion: suggestion(for: name, among: columns.map(\.0)))
    }
    return c.1
  }

  /// One group key: the cells of the `by` columns in one row.
  enum Cell: Comparable, Hashable {
    case number(Double)
    case text(String)
    var value: Value {
      switch self {
      case .number(let d): return .number(d)
      case .text(let s): return .string(s)
      }
    }
  }

  /// Groups with their keys (sorted) and the finite values of `value` in each.
  static func groups(
    _ columns: [(String, Cells)], by: [String], value: String, _ a: KeyedArguments
  )
    throws -> (keys: [[Cell]], values: [[Double]])
  {
    let keyColumns = try by.map { try column(columns, $0, a, "by") }
    guard case .numbers(let values) = try column(columns, value, a, "value") else {
      throw a.error("value", "'\(value)' holds text; means need a numeric column")
    }
    var groups: [[Cell]: [Double]] = [:]
    for row in 0..<values.count {
      let key = keyColumns.map { c -> Cell in
        switch c {
        case .numbers(let v): return .number(v[row])
        case .text(let v): return .text(v[row])
        }
      }
      if values[row].isFinite { groups[key, default: []].append(values[row]) } else if groups[key] == nil { groups[key] = [] }
    }
    let keys = groups.keys.sorted { $0.lexicographicallyPrecedes($1) }
    return (keys, keys.map { groups[$0]! })
  }

  /// `group_by(t, by, value)`: the by columns (one row per group), `VALUE_mean`, `VALUE_std`, `n_runs`.
  static func groupBy(_ columns: [(String, Cells)], by: [String], value: String, _ a: KeyedArguments) throws -> Record {
    let (keys, values) = try groups(columns, by: by, value: value, a)
    var fields: [(name: String, value: Value)] = []
    for (k, name) in by.enumerated() {
      let cells = keys.map { $0[k] }
      if cells.allSatisfy({ if case .number = $0 { true } else { false } }) {
        fields.append((name, .array(ArrayValue(vector: cells.map { if case .number(let d) = $0 { d } else { .nan } }))))
      } else {
        fields.append((name, .list(cells.map(\.value))))
      }
    }
    fields.append((value + "_mean", .array(ArrayValue(vector: values.map(mean)))))
    fields.append((value + "_std", .array(ArrayValue(vector: values.map(std)))))
    fields.append(("n_runs", .array(ArrayValue(vector: values.map { Double($0.count) }))))
    return Record(kind: "groups", fields: fields)
  }

  /// numpy's mean (nan for none).
  static func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count) }

  /// numpy's std with ddof 0: the root of the mean squared deviation from the mean.
  static func std(_ v: [Double]) -> Double {
    guard !v.isEmpty else { return .nan }
    let m = mean(v)
    return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
  }

  /// `plot_sweep(t, value, x:, by:)`: one line of means against x per value of by.
  static func plot(_ a: KeyedArguments) throws -> Value {
    let columns = try columns(a, "table")
    let value = try name(a, "value")
    guard let x = try a.string("x") else { throw a.error("x", "is missing: plot_sweep(t, \"\(value)\", x: \"lr\")") }
    guard case .numbers = try column(columns, x, a, "x") else { throw a.error("x", "'\(x)' holds text; x must be numeric") }
    let by = try a.string("by")
    let (keys, values) = try groups(columns, by: [by, x].compactMap { $0 }, value: value, a)
    var series: [PlotSeries] = []
    var lines: [Cell?: (x: [Double], y: [Double])] = [:]
    var order: [Cell?] = []
    for (key, v) in zip(keys, values) {
      let line: Cell? = by == nil ? nil : key[0]
      guard case .number(let xv) = key.last! else { continue }
      if lines[line] == nil { order.append(line) }
      lines[line, default: ([], [])].x.append(xv)
      lines[line, default: ([], [])].y.append(mean(v))
    }
    for line in order {
      let name = line.map { "\(by!) = \(Printer.plain($0.value))" } ?? value
      series.append(PlotSeries(name: name, x: lines[line]!.x, y: lines[line]!.y))
    }
    let title = try a.string("title") ?? "\(value) (mean over runs) against \(x)" + (by.map { ", one line per \($0)" } ?? "")
    return .plot(.lines(title: title, xLabel: x, yLabel: value, series: series, logScale: false))
  }
}
