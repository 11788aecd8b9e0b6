// `collect`: one row per run: its index, the grid values, every reported metric (the union over
// runs, in the order first seen; a run that did not report one has nan or ""), its wall time and
// its state. Written as results.csv (numbers as the shortest text that reads back exactly) and
// results.npz (numeric columns float64, text columns numpy `<U`); `load_sweep` builds the same
// table in memory.

import NumpyFormat

/// A column of the results: numbers, or text when any cell is text.
public enum ResultColumn: Sendable, Equatable {
  case numbers([Double])
  case text([String])

  public var count: Int {
    switch self {
    case .numbers(let v): return v.count
    case .text(let v): return v.count
    }
  }
}

/// The table of a sweep.
public struct ResultsTable: Sendable, Equatable {
  public var columns: [(name: String, column: ResultColumn)]
  /// The names of the grid's columns (the values bound), in order.
  public var gridNames: [String]
  /// The names of the reported metrics, in order.
  public var metricNames: [String]

  public static func == (a: ResultsTable, b: ResultsTable) -> Bool {
    a.columns.map(\.name) == b.columns.map(\.name) && a.columns.map(\.column) == b.columns.map(\.column)
  }

  public var rowCount: Int { columns.first?.column.count ?? 0 }
  public subscript(name: String) -> ResultColumn? { columns.first { $0.name == name }?.column }

  /// The table of `dir` from its run folders.
  public static func collect(_ dir: SweepDirectory) throws(SweepError) -> ResultsTable {
    let manifest = try dir.manifest()
    var metricNames: [String] = []
    var rows: [(metrics: [String: BoundValue], wall: Double, state: RunState)] = []
    rows.reserveCapacity(manifest.count)
    for i in 0..<manifest.count {
      let run = dir.run(i, of: manifest.count)
      let state = run.state()
      var metrics: [String: BoundValue] = [:]
      for m in try run.metrics() {
        if metrics[m.name] == nil && !metricNames.contains(m.name) { metricNames.append(m.name) }
        metrics[m.name] = m.value
      }
      rows.append((metrics, (try run.timing())?.wallSeconds ?? .nan, state))
    }
    var columns: [(String, ResultColumn)] = [("index", .numbers((0..<manifest.count).map(Double.init)))]
    for (k, name) in manifest.names.enumerated() {
      columns.append((name, column(manifest.points.map { $0[k] })))
    }
    let gridNames = manifest.names
    for name in metricNames where !gridNames.contains(name) && !reserved.contains(name) {
      columns.append((name, column(rows.map { $0.metrics[name] })))
    }
    columns.append(("wall_time", .numbers(rows.map(\.wall))))
    columns.append(("state", .text(rows.map(\.state.rawValue))))
    return ResultsTable(
      columns: columns, gridNames: gridNames,
      metricNames: metricNames.filter { !gridNames.contains($0) && !reserved.contains($0) })
  }

  /// Column names the table itself uses; a metric of that name is refused by `report`.
  public static let reserved: Set<String> = ["index", "wall_time", "state"]

  /// Numbers when every present cell is a number or boolean (missing: nan), else text (missing: "").
  static func column(_ cells: [BoundValue?]) -> ResultColumn {
    if cells.allSatisfy({ $0 == nil || $0!.numeric != nil }) {
      return .numbers(cells.map { $0?.numeric ?? .nan })
    }
    return .text(cells.map { $0?.text ?? "" })
  }

  // MARK: - Files

  /// The table as CSV text.
  public var csv: String {
    var out = columns.map { field($0.name) }.joined(separator: ",") + "\n"
    for r in 0..<rowCount {
      out +=
        columns.map { c in
          switch c.column {
          case .numbers(let v): return BoundValue.exact(v[r])
          case .text(let v): return field(v[r])
          }
        }.joined(separator: ",") + "\n"
    }
    return out
  }

  /// Writes results.csv and results.npz into `dir`, atomically.
  public func write(to dir: SweepDirectory) throws(SweepError) {
    try writeAtomically(Array(csv.utf8), to: dir.resultsCSV)
    let members: [(String, NPZMember)] = columns.map { c in
      switch c.column {
      case .numbers(let v): return (c.name, .array(NumpyArray(shape: [v.count], float64: v)))
      case .text(let v): return (c.name, .text(v))
      }
    }
    do { try writeNPZ(members: members, to: dir.resultsNPZ) } catch {
      throw .file(path: dir.resultsNPZ, problem: "cannot be written (\(error))")
    }
  }

  /// A CSV field, quoted when it holds a comma, a quote or a line break.
  private func field(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
