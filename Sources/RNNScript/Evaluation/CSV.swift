// `save VALUE "f.csv"`: tables as comma-separated text, for spreadsheets, pandas and R. A 1-D array
// or list is one column; a 2-D array one line per row; a record of equal-length columns (numbers,
// 1-D arrays, lists of numbers or strings) a table whose first line names the columns; an
// analysis's record its table of items (`analysisTables`). Numbers are
// written so that they read back exactly (the shortest form that round-trips); strings are quoted
// when they hold a comma, a quote or a line break.

import NumpyFormat

enum CSV {
  /// The table an analysis's record is saved as, by record kind: one row per item (point, level,
  /// unit, component), a matrix field spread over columns `name_0`, `name_1` …
  static let analysisTables: [String: @Sendable (Record) -> Record] = [
    "fixed points": { r in table(r, ["q", "fixed", "stable", "xstar", "eig_real", "eig_imag"]) },
    "pca": { r in table(r, ["explained_variance", "explained_variance_ratio", "components"]) },
    "psychometric": { r in table(r, ["levels", "p_choice", "ci_low", "ci_high", "n"]) },
    "chronometric": { r in table(r, ["levels", "rt_mean", "rt_sem", "n"]) },
    "lesion sweep": { r in table(r, ["units", "accuracy", "drop"]) },
    "task variance": { r in table(r, ["variance", "normalized", "active", "cluster"]) },
  ]

  /// The fields `names` of `r` as columns: 1-d arrays as they are, 2-d arrays one column each.
  static func table(_ r: Record, _ names: [String]) -> Record {
    var columns: [(name: String, value: Value)] = []
    for name in names {
      guard case .array(let a)? = r[name] else { continue }
      if a.shape.count == 2 {
        let (rows, cols) = (a.shape[0], a.shape[1])
        for c in 0..<cols {
          columns.append(("\(name)_\(c)", .array(ArrayValue(vector: (0..<rows).map { a.values[$0 * cols + c] }))))
        }
      } else {
        columns.append((name, .array(a)))
      }
    }
    return Record(kind: "table", fields: columns)
  }

  /// The text of `v` as CSV, or an error saying what a table can hold.
  static func text(_ v: Value, at location: SourceLocation) throws -> String {
    switch v {
    case .record(let analysis) where analysisTables[analysis.kind] != nil:
      return try text(.record(analysisTables[analysis.kind]!(analysis)), at: location)
    case .record(let r):
      let columns = try r.fields.map { (name, value) in (name, try column(value, name: name, at: location)) }
      let rows = columns.first?.1.count ?? 0
      if let bad = columns.first(where: { $0.1.count != rows }) {
        throw RuntimeError(
          "the columns of a table must have the same length: '\(columns[0].0)' has \(rows), '\(bad.0)' has \(bad.1.count)",
          at: location)
      }
      var lines = [columns.map { field($0.0) }.joined(separator: ",")]
      for i in 0..<rows { lines.append(columns.map { $0.1[i] }.joined(separator: ",")) }
      return lines.joined(separator: "\n") + "\n"
    default:
      guard let a = try v.asArray(at: location) else {
        throw RuntimeError("save writes arrays, lists and records of columns as .csv, not a \(v.typeName)", at: location)
      }
      switch a.shape.count {
      case 0, 1: return a.values.map(number).joined(separator: "\n") + (a.values.isEmpty ? "" : "\n")
      case 2:
        let cols = a.shape[1]
        return (0..<a.shape[0]).map { i in a.values[(i * cols)..<((i + 1) * cols)].map(number).joined(separator: ",") }
          .joined(separator: "\n") + (a.shape[0] == 0 ? "" : "\n")
      default:
        throw RuntimeError(
          "a .csv table has rows and columns: this array has shape \(Format.shape(a.shape)); reshape it first", at: location)
      }
    }
  }

  /// One column of a table: its cells as text.
  private static func column(_ v: Value, name: String, at location: SourceLocation) throws -> [String] {
    switch v {
    case .string(let s): return [field(s)]
    case .list(let items) where items.contains(where: { if case .string = $0 { true } else { false } }):
      return try items.map { item in
        switch item {
        case .string(let s): return field(s)
        case .number, .bool: return number(item.numeric!)
        default: throw RuntimeError("column '\(name)' holds a \(item.typeName)", at: location)
        }
      }
    default:
      guard let a = try v.asArray(at: location), a.shape.count <= 1 else {
        throw RuntimeError("column '\(name)' must be a number, a 1-d array or a list, got a \(v.typeName)", at: location)
      }
      return a.values.map(number)
    }
  }

  /// A number as the shortest text that reads back to the same Double.
  static func number(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
    return "\(d)"
  }

  /// A text cell, quoted when it must be.
  static func field(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Writes the text atomically (NumpyFormat's writer: a temporary beside the file, renamed).
  static func save(_ v: Value, to path: String, at location: SourceLocation) throws {
    try AtomicFiles.write(Array(try text(v, at: location).utf8), to: path)
  }
}
